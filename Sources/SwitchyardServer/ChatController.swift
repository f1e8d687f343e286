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
        let call = CallContext(
            requestID: context.requestID, logger: context.logger,
            headers: RequestHeaders { name in HTTPField.Name(name).flatMap { headerFields[$0] } },
            // One master key today: callers that passed authentication are `key: master`.
            keyAlias: program.settings.masterKey == nil ? nil : "master")
        let result = await program.execute(chat, context: call, upstream: providers)

        var headers = HTTPFields()
        if let target = result.target { headers[.switchyardTarget] = target.label }
        if !result.path.isEmpty { headers[.switchyardPath] = result.path.joined(separator: ",") }
        if let arm = result.arm { headers[.switchyardArm] = arm }
        headers[.switchyardAttempts] = String(result.attempts)
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

    /// Forwards upstream chunks as they arrive. When the client goes away the write throws, the
    /// upstream iterator is dropped and the upstream request is cancelled. When the upstream
    /// fails mid-stream the client gets an error event, never a clean-looking end.
    static func relay(_ stream: ByteStream, requestID: String, logger: Logger) -> ResponseBody {
        ResponseBody { writer in
            var iterator = stream.makeAsyncIterator()
            while true {
                let chunk: ByteBuffer?
                do {
                    chunk = try await iterator.next()
                } catch {
                    logger.warning("upstream stream failed", metadata: ["request.id": .string(requestID), "error": .string(String(describing: type(of: error)))])
                    let failure = GatewayError(.upstreamError, status: 502, message: "The upstream stream failed before it was complete.")
                    var event = ByteBuffer(string: "data: ")
                    event.writeBytes(failure.body)
                    event.writeString("\n\n")
                    try await writer.write(event)
                    break
                }
                guard let chunk else { break }
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }
}
