import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Anthropic's Messages API. OpenAI requests are translated (`AnthropicRequestTranslation`),
/// answers translated back (`AnthropicResponseTranslation`, `AnthropicStreamTranslator`), so
/// clients and the pipeline only ever see OpenAI's format.
struct AnthropicAdapter: ProviderAdapter {
    static let defaultBase = "https://api.anthropic.com"
    static let apiVersion = "2023-06-01"

    let call: UpstreamCall
    let messagesURL: String
    let baseHeaders: HTTPHeaders

    init(provider: ProviderSpec, clients: UpstreamClients) {
        var call = UpstreamCall(clients: clients, provider: provider)
        call.translateError = AnthropicErrors.gatewayError(provider: provider.name)
        self.call = call
        var base = provider.apiBase ?? Self.defaultBase
        // Accept a base given with the version (`https://api.anthropic.com/v1`), as LiteLLM does.
        if base.hasSuffix("/v1") { base = String(base.dropLast(3)) }
        self.messagesURL = base + "/v1/messages"
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "anthropic-version", value: Self.apiVersion)
        if let key = provider.apiKey, !key.isEmpty { headers.add(name: "x-api-key", value: key) }
        for header in provider.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
        self.baseHeaders = headers
    }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let body = try AnthropicRequestTranslation.translate(request, model: target.model)
        let response = try await call.post(
            url: messagesURL, headers: baseHeaders, body: ByteBuffer(bytes: JSONWriter.bytes(.object(body))),
            stream: request.stream, deadlines: target.deadlines)
        return try await Self.reply(response, to: request, target: target, call: call)
    }

    /// The reply from a Messages API answer (Anthropic's, or Vertex AI's `rawPredict`): a
    /// stream translated as it arrives, or the whole answer translated.
    static func reply(_ response: UpstreamResponse, to request: ChatRequest, target: Target, call: UpstreamCall) async throws(GatewayError) -> UpstreamReply {
        if request.stream {
            let includeUsage = request["stream_options"]?.objectValue?["include_usage"]?.boolValue == true
            let translator = AnthropicStreamTranslator(model: target.model, includeUsage: includeUsage, provider: call.providerName)
            return .stream(ByteStream(translating: response.body, with: translator))
        }
        let message = try call.parse(try await call.collect(response))
        return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(AnthropicResponseTranslation.chatCompletion(message, model: target.model))))
    }
}
