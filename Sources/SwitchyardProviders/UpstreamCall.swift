import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// The one way adapters send a request upstream: POST, target timeout, transport errors and
/// non-200 answers mapped to `GatewayError`.
struct UpstreamCall {
    /// Largest non-streaming upstream body accepted.
    static let maxResponseSize = 64 * 1024 * 1024

    let httpClient: HTTPClient
    let providerName: String
    /// Reads the provider's own error shape (some name the error in a header); nil for
    /// OpenAI-shaped errors.
    var translateError: (@Sendable (_ status: Int, _ headers: HTTPHeaders, _ body: [UInt8]) -> GatewayError?)?

    /// Sends `body` to `url`; returns the 200 response with its body unread.
    func post(url: String, headers: HTTPHeaders, body: ByteBuffer, stream: Bool, timeout: Duration) async throws(GatewayError) -> HTTPClientResponse {
        var upstream = HTTPClientRequest(url: url)
        upstream.method = .POST
        upstream.headers = headers
        if stream { upstream.headers.add(name: "accept", value: "text/event-stream") }
        upstream.body = .bytes(body)
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(upstream, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
        } catch {
            throw UpstreamFailure.gatewayError(for: error, provider: providerName)
        }
        guard response.status == .ok else {
            throw await UpstreamFailure.fromResponse(response, provider: providerName, translate: translateError)
        }
        return response
    }

    /// Reads a whole (non-streaming) body.
    func collect(_ response: HTTPClientResponse) async throws(GatewayError) -> ByteBuffer {
        do {
            return try await response.body.collect(upTo: Self.maxResponseSize)
        } catch {
            throw UpstreamFailure.gatewayError(for: error, provider: providerName)
        }
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
