import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import SwitchyardCore
import SwitchyardProviders

/// `POST /v1/chat/completions`: parse once, run the program, forward the answer.
struct ChatController {
    let program: GatewayProgram
    let providers: ProviderSet
    let metrics: GatewayMetrics
    /// Request fields LiteLLM reads itself, never sent upstream.
    var stripped: Set<String> { LiteLLMCompatibility.strippedFields(for: program.format) }

    func register(with router: Router<GatewayRequestContext>) {
        router.post("/v1/chat/completions", use: chat)
        router.post("/chat/completions", use: chat)
    }

    @Sendable func chat(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let limit = program.settings.maxBodySize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        }
        let chat = try ChatRequest(body: body)
        let headerFields = request.headers
        var call = CallContext(
            requestID: context.requestID, logger: context.logger,
            headers: RequestHeaders { name in HTTPField.Name(name).flatMap { headerFields[$0] } },
            // One master key today: callers that passed authentication are `key: master`.
            keyAlias: program.settings.masterKey == nil ? nil : "master")
        call.overrides = RequestOverrides(request: chat)
        let started = ContinuousClock.now
        let upstreamClock = UpstreamClock()
        let upstream = LiteLLMUpstream(base: providers, stripped: stripped, clock: upstreamClock)
        let result = await program.execute(chat, context: call, upstream: upstream)
        metrics.record(result, model: chat.requestedModel, duration: ContinuousClock.now - started)

        var headers = HTTPFields()
        if let target = result.target { headers[.switchyardTarget] = target.label }
        if !result.path.isEmpty { headers[.switchyardPath] = result.path.joined(separator: ",") }
        if let arm = result.arm { headers[.switchyardArm] = arm }
        headers[.switchyardAttempts] = String(result.attempts)
        headers.append(contentsOf: LiteLLMCompatibility.headers(
            result, program: program, requestedModel: chat.requestedModel, requestID: context.requestID,
            total: ContinuousClock.now - started, upstream: upstreamClock.elapsed))
        switch result.outcome {
        case .failure(let error):
            var response = GatewayMiddleware.errorResponse(error)
            response.headers.append(contentsOf: headers)
            return response
        case .success(.complete(let body)):
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
        case .success(.stream(let stream)):
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: Self.relay(stream, requestID: context.requestID, logger: context.logger))
        }
    }

    static func tooLarge(_ limit: Int) -> GatewayError {
        GatewayError(.bodyTooLarge, status: 413, message: "The request body is larger than the limit of \(limit) bytes.")
    }

    /// OpenAI's way to end a broken stream: one `data: {"error": …}` event and no `[DONE]`.
    static func openAIStreamError() -> ByteBuffer {
        let failure = GatewayError(.upstreamError, status: 502, message: "The upstream stream failed before it was complete.")
        var event = ByteBuffer(string: "data: ")
        event.writeBytes(failure.body)
        event.writeString("\n\n")
        return event
    }

    /// Forwards upstream chunks as they arrive. When the client goes away the write throws, the
    /// upstream iterator is dropped and the upstream request is cancelled. When the upstream
    /// fails mid-stream the client gets `errorEvent` (in its own API's format), never a
    /// clean-looking end.
    static func relay(
        _ stream: ByteStream, requestID: String, logger: Logger,
        errorEvent: @escaping @Sendable () -> ByteBuffer = openAIStreamError
    ) -> ResponseBody {
        ResponseBody { writer in
            var iterator = stream.makeAsyncIterator()
            while true {
                let chunk: ByteBuffer?
                do {
                    chunk = try await iterator.next()
                } catch {
                    logger.warning("upstream stream failed", metadata: ["request.id": .string(requestID), "error": .string(String(describing: type(of: error)))])
                    try await writer.write(errorEvent())
                    break
                }
                guard let chunk else { break }
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }
}
