import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// The one way adapters send a request upstream: POST with the target's deadlines, transport
/// errors and non-200 answers mapped to `GatewayError`.
struct UpstreamCall {
    /// Largest non-streaming upstream body accepted.
    static let maxResponseSize = 64 * 1024 * 1024

    let clients: UpstreamClients
    let providerName: String
    /// Connections kept open to this provider.
    let maxConnections: Int
    /// Reads the provider's own error shape (some name the error in a header); nil for
    /// OpenAI-shaped errors.
    var translateError: (@Sendable (_ status: Int, _ headers: HTTPHeaders, _ body: [UInt8]) -> GatewayError?)?

    init(clients: UpstreamClients, provider: ProviderSpec) {
        self.clients = clients
        self.providerName = provider.name
        // Resolved against `server.max_connections_per_provider` when the program compiled.
        self.maxConnections = provider.maxConnections ?? ServerSettings().maxConnectionsPerProvider
    }

    /// Sends `body` to `url`; returns the 200 response with its body unread. The connect deadline
    /// and the wait for the headers apply here; `idle` and `total` apply to the body as it is read.
    func post(url: String, headers: HTTPHeaders, body: ByteBuffer, stream: Bool, deadlines: UpstreamDeadlines) async throws(GatewayError) -> UpstreamResponse {
        var upstream = HTTPClientRequest(url: url)
        upstream.method = .POST
        upstream.headers = headers
        if stream { upstream.headers.add(name: "accept", value: "text/event-stream") }
        for header in UpstreamTraceHeaders.current { upstream.headers.replaceOrAdd(name: header.name, value: header.value) }
        upstream.body = .bytes(body)
        let started = ContinuousClock.now
        let client = clients.client(provider: providerName, deadlines: deadlines, maxConnections: maxConnections)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(upstream, timeout: .init(min(deadlines.headers, deadlines.total)))
        } catch {
            throw UpstreamFailure.gatewayError(for: error, provider: providerName)
        }
        guard response.status == .ok else {
            throw await UpstreamFailure.fromResponse(response, provider: providerName, translate: translateError)
        }
        return UpstreamResponse(response: response, provider: providerName, deadline: started + deadlines.total)
    }

    /// Reads a whole (non-streaming) body.
    func collect(_ response: UpstreamResponse) async throws(GatewayError) -> ByteBuffer {
        var collected = ByteBuffer()
        var body = response.body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do {
                next = try await body.next()
            } catch {
                throw UpstreamFailure.gatewayError(for: error, provider: providerName)
            }
            guard var chunk = next else { break }
            guard collected.readableBytes + chunk.readableBytes <= Self.maxResponseSize else {
                throw GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(providerName)' sent a response larger than the gateway accepts")
            }
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// Reads a whole body that passes through untranslated, refusing one that is plainly not a
    /// JSON object (an HTML error page, a truncated body) as a 502 that retry and fallback see.
    /// Only the first and last bytes are looked at; the full parse happens once, later.
    func collectObject(_ response: UpstreamResponse) async throws(GatewayError) -> ByteBuffer {
        let body = try await collect(response)
        let bytes = body.readableBytesView
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard bytes.first(where: { !isSpace($0) }) == UInt8(ascii: "{"), bytes.last(where: { !isSpace($0) }) == UInt8(ascii: "}") else {
            throw GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(providerName)' sent a response that is not a JSON object")
        }
        return body
    }

    /// Parses a JSON answer the adapter must translate.
    func parse(_ body: ByteBuffer) throws(GatewayError) -> JSONObject {
        let value = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard case .object(let object)? = value else {
            throw GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(providerName)' sent a response that is not a JSON object")
        }
        return object
    }
}
