import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Google's Gemini API (`generateContent`, `streamGenerateContent?alt=sse`), key in
/// `x-goog-api-key`. Requests and answers are translated so the pipeline sees OpenAI's format.
struct GeminiAdapter: ProviderAdapter {
    let call: UpstreamCall
    /// `{base}/v1beta/models/`
    let modelsURL: String
    let baseHeaders: HTTPHeaders

    init(provider: ProviderSpec, clients: UpstreamClients) {
        var call = UpstreamCall(clients: clients, provider: provider)
        call.translateError = GeminiErrors.gatewayError(provider: provider.name)
        self.call = call
        var base = provider.apiBase ?? ProviderKind.gemini.defaults.apiBase ?? "https://generativelanguage.googleapis.com"
        if !base.hasSuffix("/v1beta") && !base.hasSuffix("/v1") { base += "/v1beta" }
        self.modelsURL = base + "/models/"
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        if let key = provider.apiKey, !key.isEmpty { headers.add(name: "x-goog-api-key", value: key) }
        for header in provider.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
        self.baseHeaders = headers
    }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let body = try GeminiRequestTranslation.translate(request)
        let model = OpenAIEndpoint.pathSegment(target.model)
        let url = modelsURL + model + (request.stream ? ":streamGenerateContent?alt=sse" : ":generateContent")
        let response = try await call.post(
            url: url, headers: baseHeaders, body: ByteBuffer(bytes: JSONWriter.bytes(.object(body))),
            stream: request.stream, deadlines: target.deadlines)
        return try await Self.reply(response, to: request, target: target, context: context, call: call)
    }

    /// The reply from a `generateContent` answer (Gemini's, or Vertex AI's): a stream
    /// translated as it arrives, or the whole answer translated.
    static func reply(
        _ response: UpstreamResponse, to request: ChatRequest, target: Target, context: CallContext, call: UpstreamCall
    ) async throws(GatewayError) -> UpstreamReply {
        if request.stream {
            let includeUsage = request["stream_options"]?.objectValue?["include_usage"]?.boolValue == true
            let translator = GeminiStreamTranslator(model: target.model, includeUsage: includeUsage, provider: call.providerName, requestID: context.requestID)
            return .stream(ByteStream(translating: response.body, with: translator))
        }
        let answer = try call.parse(try await call.collect(response))
        let completion = try GeminiResponseTranslation.chatCompletion(answer, model: target.model, provider: call.providerName)
        return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(completion)))
    }
}
