import NIOCore
import Logging
import Synchronization

/// An upstream that never touches the network, for `explain` and `switchyard test`: it records
/// what would have been sent and answers with a canned completion, or fails as told.
public final class DryRunAdapter: ProviderAdapter {
    /// Target label → simulated failure (`503`, `timeout`, `context_window`, …).
    let failing: [String: String]
    private let sent = Mutex<[(target: String, body: String)]>([])

    public init(failing: [String: String] = [:]) {
        self.failing = failing
    }

    /// What each upstream call would have carried: the target label and the JSON body.
    public var calls: [(target: String, body: String)] { sent.withLock { $0 } }

    static let failureNames = ["timeout", "connect", "rate_limit", "context_window", "content_policy"]

    /// The error a simulated upstream failure produces; nil for an unknown spelling.
    static func simulatedError(_ failure: String, label: String) -> GatewayError? {
        switch failure {
        case "timeout": return GatewayError(.upstreamTimeout, status: 504, message: "simulated: '\(label)' did not answer in time")
        case "connect": return GatewayError(.upstreamUnreachable, status: 502, message: "simulated: '\(label)' is unreachable")
        case "rate_limit": return GatewayError(.upstreamError, status: 429, message: "simulated: '\(label)' rate limit", retryAfter: 1)
        case "context_window":
            return GatewayError(.upstreamError, status: 400, message: "simulated: context_length_exceeded: maximum context length exceeded")
        case "content_policy":
            return GatewayError(.upstreamError, status: 400, message: "simulated: content_policy_violation")
        default:
            guard let status = Int(failure), (400...599).contains(status) else { return nil }
            return GatewayError(.upstreamError, status: status, message: "simulated: '\(label)' answered HTTP \(status)")
        }
    }

    public func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let body = request.encodedBody(model: target.model)
        sent.withLock { $0.append((target.label, String(buffer: body))) }
        if let failure = failing[target.label], let error = Self.simulatedError(failure, label: target.label) {
            throw error
        }
        let content = "dry run: \(target.label) would answer"
        if request.stream {
            let chunk: JSONValue = ["object": "chat.completion.chunk", "model": .string(target.model),
                "choices": [["index": 0, "delta": ["content": .string(content)], "finish_reason": "stop"]]]
            return .stream(ByteStream(chunks: [
                ByteBuffer(bytes: Array("data: ".utf8) + JSONWriter.bytes(chunk) + Array("\n\n".utf8)),
                ByteBuffer(string: "data: [DONE]\n\n"),
            ]))
        }
        let completion: JSONValue = [
            "id": "chatcmpl-dry-run", "object": "chat.completion", "model": .string(target.model),
            "choices": [["index": 0, "message": ["role": "assistant", "content": .string(content)], "finish_reason": "stop"]],
        ]
        return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(completion)))
    }
}

/// A request as written in a `tests:` entry or an `explain --request` file: a chat body that may
/// also carry `headers`, `key` and a `content` shorthand for one user message.
public struct DryRunRequest: Sendable {
    public var body: JSONObject
    public var headers: [(name: String, value: String)]
    public var key: String?

    public init(body: JSONObject, headers: [(name: String, value: String)] = [], key: String? = nil) {
        self.body = body
        self.headers = headers
        self.key = key
    }

    /// Splits `headers` and `key` off a request object and expands `content`.
    public init(_ object: JSONObject) {
        var body = object
        var headers: [(name: String, value: String)] = []
        if case .object(let fields)? = body["headers"] {
            headers = fields.fields.map { ($0.key, FieldValue($0.value).text ?? "") }
        }
        body["headers"] = nil
        let key = body["key"].flatMap { FieldValue($0).text }
        body["key"] = nil
        if let content = body["content"] {
            body["content"] = nil
            body["messages"] = [["role": "user", "content": content]]
        }
        if body["messages"] == nil { body["messages"] = [["role": "user", "content": "hello"]] }
        self.init(body: body, headers: headers, key: key)
    }
}

extension GatewayProgram {
    /// Runs a request through the program without a network, recording every decision.
    /// - Returns: the result and what each upstream call would have carried.
    public func dryRun(
        _ request: DryRunRequest, failing: [String: String] = [:]
    ) async -> (result: ExecutionResult, calls: [(target: String, body: String)]) {
        let adapter = DryRunAdapter(failing: failing)
        let chat: ChatRequest
        do {
            chat = try ChatRequest(object: request.body)
        } catch {
            let result = ExecutionResult(outcome: .failure(error), target: nil, path: [], arm: nil, attempts: 0, decisions: ["invalid request: \(error.message)"], scrubbed: [])
            return (result, [])
        }
        let context = CallContext(
            requestID: "dry-run", logger: Logger(label: "switchyard.dry-run", factory: { _ in SwiftLogNoOpLogHandler() }),
            headers: RequestHeaders(request.headers), keyAlias: request.key, recordsDecisions: true, sleep: { _ in })
        let result = await execute(chat, context: context, upstream: adapter)
        return (result, adapter.calls)
    }
}
