import Hummingbird
import HTTPTypes
import NIOCore
import SwitchyardCore
import SwitchyardProviders
import SwitchyardStore

/// `POST /v1/embeddings`: the model's target is chosen by its routing strategy (pipelines are for
/// chat and do not run here); OpenAI, Azure and the compatible family pass the request through,
/// Gemini translates it. Body limits, admission, headers and spend are `RequestPath`'s.
struct EmbeddingsController {
    let live: LiveProgram

    func register(with router: Router<GatewayRequestContext>) {
        router.post("/v1/embeddings", use: embeddings)
        router.post("/embeddings", use: embeddings)
    }

    @Sendable func embeddings(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let startTime = WallClock.now()
        let path = live.path
        let body = try await path.readBody(request)
        let parsed = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard case .object(var object)? = parsed else {
            throw GatewayError(.invalidJSON, status: 400, message: "The request body must be a JSON object.")
        }
        guard case .string(let requested)? = object["model"] else { throw GatewayError.missingField("model") }
        guard object["input"] != nil else { throw GatewayError.missingField("input") }
        let admission = try await path.keys.admit(context.principal, model: requested, endUser: object["user"]?.stringValue)
        if admission.model != requested { object["model"] = .string(admission.model) }
        let target: Target
        do {
            target = try path.program.route(model: admission.model)
        } catch {
            admission.release()
            throw error
        }
        // Traced from here: a request refused before it has a target has no span.
        let trace = path.tracing?.begin(request, requestID: context.requestID)
        var accounting = Accounting(
            path, context: context, admission: admission, callType: "embeddings", requestedModel: requested, target: target,
            attempts: 1, startTime: startTime)
        accounting.trace = trace
        let call = CallContext(requestID: context.requestID, logger: context.logger)
        let answer: ByteBuffer
        do {
            answer = try await whileClientConnected(context.channel) { () async throws(GatewayError) in
                guard let trace else { return try await path.providers.embeddings(object, target: target, context: call) }
                return try await trace.embeddings(target: target) { () async throws(GatewayError) in
                    try await path.providers.embeddings(object, target: target, context: call)
                }
            }
        } catch {
            accounting.finish(usage: nil, status: error.status, errorType: error.code.description)
            throw error
        }
        accounting.finish(usage: TokenUsage(answer: answer), status: 200)
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.switchyardTarget] = target.label
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: answer))
    }
}
