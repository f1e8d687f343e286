import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import SwitchyardCore
import SwitchyardProviders

/// `POST /v1/messages`: Anthropic's Messages API in front of the same program. The request is
/// translated to an OpenAI chat request, run like any other, and the answer (from whatever
/// upstream) translated back, streamed event by event. Errors use Anthropic's error shape.
struct MessagesController {
    let program: GatewayProgram
    let providers: ProviderSet

    func register(with router: Router<GatewayRequestContext>) {
        router.post("/v1/messages", use: messages)
    }

    @Sendable func messages(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let chat: ChatRequest
        do {
            chat = try AnthropicMessagesFormat.chatRequest(from: try await readBody(request))
        } catch let error as GatewayError {
            return Self.errorResponse(error, headers: [:])
        }
        let headerFields = request.headers
        let call = CallContext(
            requestID: context.requestID, logger: context.logger,
            headers: RequestHeaders { name in HTTPField.Name(name).flatMap { headerFields[$0] } },
            keyAlias: program.settings.masterKey == nil ? nil : "master")
        let result = await program.execute(chat, context: call, upstream: providers)

        var headers = HTTPFields()
        if let target = result.target { headers[.switchyardTarget] = target.label }
        if !result.path.isEmpty { headers[.switchyardPath] = result.path.joined(separator: ",") }
        if let arm = result.arm { headers[.switchyardArm] = arm }
        headers[.switchyardAttempts] = String(result.attempts)
        switch result.outcome {
        case .failure(let error):
            return Self.errorResponse(error, headers: headers)
        case .success(.complete(let body)):
            do {
                let message = try AnthropicMessagesFormat.message(fromCompletion: body, model: chat.requestedModel)
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: message))
            } catch let error as GatewayError {
                return Self.errorResponse(error, headers: headers)
            }
        case .success(.stream(let stream)):
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            let translated = AnthropicMessagesFormat.stream(stream, model: chat.requestedModel)
            return Response(status: .ok, headers: headers, body: Self.relay(translated, requestID: context.requestID, logger: context.logger))
        }
    }

    private func readBody(_ request: Request) async throws(GatewayError) -> ByteBuffer {
        let limit = program.settings.maxBodySize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ChatController.tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw ChatController.tooLarge(limit)
        }
    }

    static func errorResponse(_ error: GatewayError, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers, body: ResponseBody(byteBuffer: AnthropicMessagesFormat.errorBody(error)))
    }

    /// `ChatController.relay`, with a stream that breaks ending in Anthropic's `error` event.
    static func relay(_ stream: ByteStream, requestID: String, logger: Logger) -> ResponseBody {
        ChatController.relay(stream, requestID: requestID, logger: logger) {
            AnthropicMessagesFormat.streamErrorEvent(message: "The upstream stream failed before it was complete.")
        }
    }
}
