import AsyncHTTPClient
import NIOCore
import SwitchyardCore

extension OpenAIAdapter {
    /// A target flagged `api: responses`: the chat request goes to the upstream's Responses API
    /// (`POST {base}/responses`), and its Response object or event stream comes back as a chat
    /// completion or chunk stream, so every client format reaches a Responses-only model.
    func responses(_ request: ChatRequest, target: Target) async throws(GatewayError) -> UpstreamReply {
        let body = ByteBuffer(bytes: JSONWriter.bytes(.object(try ChatToResponsesTranslation.translate(request, model: target.model))))
        let response = try await call.post(
            url: endpoint.url(.responses, model: target.model), headers: baseHeaders, body: body, stream: request.stream,
            deadlines: target.deadlines)
        if request.stream {
            let translator = ResponsesChatStreamTranslator(model: target.model, includeUsage: request.asksForStreamUsage)
            return .stream(ByteStream(translating: response.body, with: translator))
        }
        let answer = try await call.collect(response)
        let parsed = try? answer.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard case .object(let object)? = parsed else {
            throw GatewayError(.upstreamInvalidResponse, status: 502, message: "The upstream answer of provider '\(target.providerName)' could not be read.")
        }
        return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(ResponsesAnswerTranslation.chatCompletion(object, model: target.model))))
    }
}
