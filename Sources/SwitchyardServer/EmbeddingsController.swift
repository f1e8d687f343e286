import Hummingbird
import HTTPTypes
import NIOCore
import SwitchyardCore
import SwitchyardProviders

/// `POST /v1/embeddings`: the model's target is chosen by its routing strategy (pipelines are for
/// chat and do not run here); OpenAI, Azure and the compatible family pass the request through,
/// Gemini translates it.
struct EmbeddingsController {
    let program: GatewayProgram
    let providers: ProviderSet

    func register(with router: Router<GatewayRequestContext>) {
        router.post("/v1/embeddings", use: embeddings)
        router.post("/embeddings", use: embeddings)
    }

    @Sendable func embeddings(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let limit = program.settings.maxBodySize
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw ChatController.tooLarge(limit) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ChatController.tooLarge(limit)
        }
        let parsed = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard case .object(let object)? = parsed else {
            throw GatewayError(.invalidJSON, status: 400, message: "The request body must be a JSON object.")
        }
        guard case .string(let model)? = object["model"] else { throw GatewayError.missingField("model") }
        guard object["input"] != nil else { throw GatewayError.missingField("input") }
        // Routing reads only the model name; a one-message chat request carries it.
        let probe = try ChatRequest(object: JSONObject([("model", .string(model)), ("messages", [["role": "user", "content": ""]])]))
        let target = try program.route(probe)
        let call = CallContext(requestID: context.requestID, logger: context.logger)
        let answer = try await providers.embeddings(object, target: target, context: call)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.switchyardTarget] = target.label
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: answer))
    }
}
