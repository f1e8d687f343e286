import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// OpenAI and every OpenAI-compatible server: the request body goes upstream as the client sent
/// it (only `model` replaced), and the answer comes back byte for byte, streamed or not.
struct OpenAIAdapter: ProviderAdapter {
    static let defaultBase = "https://api.openai.com/v1"
    /// Largest non-streaming upstream body accepted.
    static let maxResponseSize = 64 * 1024 * 1024

    let providerName: String
    let httpClient: HTTPClient
    let chatURL: String
    /// Headers built once: authorization, content type and the provider's extra headers.
    let baseHeaders: HTTPHeaders

    init(provider: ProviderSpec, httpClient: HTTPClient) {
        self.providerName = provider.name
        self.httpClient = httpClient
        self.chatURL = (provider.apiBase ?? Self.defaultBase) + "/chat/completions"
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        if let key = provider.apiKey, !key.isEmpty {
            headers.add(name: "authorization", value: "Bearer \(key)")
        }
        for header in provider.headers {
            headers.replaceOrAdd(name: header.name, value: header.value)
        }
        self.baseHeaders = headers
    }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        var upstream = HTTPClientRequest(url: chatURL)
        upstream.method = .POST
        upstream.headers = baseHeaders
        if request.stream { upstream.headers.add(name: "accept", value: "text/event-stream") }
        let body = request.encodedBody(model: target.model)
        upstream.body = .bytes(body)

        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(upstream, timeout: .nanoseconds(Int64(target.timeout.nanoseconds)))
        } catch {
            throw UpstreamFailure.gatewayError(for: error, provider: providerName)
        }
        guard response.status == .ok else {
            throw await UpstreamFailure.fromResponse(response, provider: providerName)
        }
        if request.stream {
            return .stream(ByteStream(response.body))
        }
        do {
            return .complete(body: try await response.body.collect(upTo: Self.maxResponseSize))
        } catch {
            throw UpstreamFailure.gatewayError(for: error, provider: providerName)
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
