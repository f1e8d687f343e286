import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// OpenAI, Azure OpenAI and every OpenAI-compatible server (the `mistral` … `lm_studio` family):
/// the request body goes upstream as the client sent it (only `model` replaced), and the answer
/// comes back byte for byte, streamed or not. Kinds differ only in URL and key header.
struct OpenAIAdapter: ProviderAdapter {
    static let defaultBase = "https://api.openai.com/v1"

    let call: UpstreamCall
    let endpoint: OpenAIEndpoint
    /// Headers built once: the key, content type and the provider's extra headers.
    let baseHeaders: HTTPHeaders

    init(provider: ProviderSpec, clients: UpstreamClients) {
        self.call = UpstreamCall(clients: clients, provider: provider)
        self.endpoint = OpenAIEndpoint(provider: provider)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        if let key = provider.apiKey, !key.isEmpty {
            if provider.kind == .azure {
                headers.add(name: "api-key", value: key)
            } else {
                headers.add(name: "authorization", value: "Bearer \(key)")
            }
        }
        for header in provider.headers {
            headers.replaceOrAdd(name: header.name, value: header.value)
        }
        self.baseHeaders = headers
    }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        if target.api == .responses { return try await responses(request, target: target) }
        let body = request.encodedBody(model: target.model)
        let response = try await call.post(
            url: endpoint.url(.chatCompletions, model: target.model), headers: baseHeaders, body: body,
            stream: request.stream, deadlines: target.deadlines)
        if request.stream {
            return .stream(response.body)
        }
        return .complete(body: try await call.collectObject(response))
    }
}
