import Logging
import NIOCore
import Synchronization

@testable import SwitchyardCore

/// An in-process upstream whose behaviour is chosen by the target's upstream model name:
///
/// - `ok`: a completion; `stream-ok`: two SSE chunks
/// - `fail-NNN`: HTTP NNN; `ratelimited-S`: 429 with `Retry-After: S`
/// - `flaky-N`: 503 for the first N calls, then ok
/// - `timeout`, `connect`: transport failures
/// - `context`, `policy`: 400s whose bodies say context length / content policy
/// - `stream-dies`: a stream that fails before its first chunk; `stream-breaks`: after one chunk
final class ScriptedAdapter: ProviderAdapter {
    private let log = Mutex<(labels: [String], bodies: [String], counts: [String: Int])>(([], [], [:]))

    var labels: [String] { log.withLock { $0.labels } }
    var bodies: [String] { log.withLock { $0.bodies } }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let model = target.model
        let seen = log.withLock { log in
            log.labels.append(target.label)
            log.bodies.append(String(buffer: request.encodedBody(model: model)))
            log.counts[model, default: 0] += 1
            return log.counts[model]!
        }
        func upstreamError(_ status: Int, _ body: String, retryAfter: Int? = nil) -> GatewayError {
            GatewayError(.upstreamError, status: status, message: "upstream says \(status)", upstreamBody: Array(body.utf8), retryAfter: retryAfter)
        }
        switch model {
        case "ok": return .complete(body: ByteBuffer(string: #"{"model":"\#(model)"}"#))
        case "stream-ok":
            return .stream(ByteStream(chunks: [ByteBuffer(string: "data: one\n\n"), ByteBuffer(string: "data: [DONE]\n\n")]))
        case "stream-dies":
            return .stream(ByteStream(FailingStream(chunksBeforeFailure: 0)))
        case "stream-breaks":
            return .stream(ByteStream(FailingStream(chunksBeforeFailure: 1)))
        case "timeout": throw GatewayError(.upstreamTimeout, status: 504, message: "too slow")
        case "connect": throw GatewayError(.upstreamUnreachable, status: 502, message: "refused")
        case "context":
            throw upstreamError(400, #"{"error":{"message":"This model's maximum context length is 8192 tokens","code":"context_length_exceeded"}}"#)
        case "policy":
            throw upstreamError(400, #"{"error":{"message":"Your request was rejected by our safety system","code":"content_policy_violation"}}"#)
        case let name where name.hasPrefix("fail-"):
            throw upstreamError(Int(name.dropFirst(5))!, #"{"error":{"message":"failed"}}"#)
        case let name where name.hasPrefix("ratelimited-"):
            throw upstreamError(429, #"{"error":{"message":"slow down"}}"#, retryAfter: Int(name.dropFirst(12))!)
        case let name where name.hasPrefix("flaky-"):
            if seen <= Int(name.dropFirst(6))! { throw upstreamError(503, #"{"error":{"message":"flaky"}}"#) }
            return .complete(body: ByteBuffer(string: #"{"model":"\#(model)"}"#))
        default:
            throw upstreamError(404, "unknown scripted model \(model)")
        }
    }
}

struct StreamBroke: Error {}

struct FailingStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunksBeforeFailure: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: Int
        mutating func next() async throws -> ByteBuffer? {
            guard remaining > 0 else { throw StreamBroke() }
            remaining -= 1
            return ByteBuffer(string: "data: partial\n\n")
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunksBeforeFailure) }
}

/// Records the delays the engine asks to sleep, without sleeping.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])
    var recorded: [Duration] { delays.withLock { $0 } }
    var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.delays.withLock { $0.append(duration) } }
    }
}

enum PipelineFixture {
    /// Providers and models shared by the stage tests; `pipelines:` (and more) come from the test.
    static let base = """
        providers:
          up: {kind: mock}
        models:
          ok: {provider: up, model: ok}
          ok2: {provider: up, model: ok, weight: 1}
          stream-ok: {provider: up, model: stream-ok}
          stream-dies: {provider: up, model: stream-dies}
          stream-breaks: {provider: up, model: stream-breaks}
          fail-500: {provider: up, model: fail-500}
          fail-503: {provider: up, model: fail-503}
          fail-400: {provider: up, model: fail-400}
          fail-408: {provider: up, model: fail-408}
          fail-409: {provider: up, model: fail-409}
          fail-429: {provider: up, model: fail-429}
          ratelimited-3: {provider: up, model: ratelimited-3}
          ratelimited-60: {provider: up, model: ratelimited-60}
          flaky-1: {provider: up, model: flaky-1}
          flaky-2: {provider: up, model: flaky-2}
          timeout: {provider: up, model: timeout}
          connect: {provider: up, model: connect}
          context: {provider: up, model: context}
          policy: {provider: up, model: policy}

        """

    static func program(_ pipelines: String, scrubbers: (any ScrubberFactory)? = nil) throws -> GatewayProgram {
        let config = try ConfigLoader.load(yaml: base + pipelines, file: "p.yaml", environment: [:])
        return try GatewayProgram(config: config, scrubbers: scrubbers)
    }

    static func request(
        model: String = "ok", content: String = "hello", extra: [(String, JSONValue)] = []
    ) -> ChatRequest {
        var object = JSONObject([("model", .string(model)), ("messages", [["role": "user", "content": .string(content)]])])
        for (key, value) in extra { object[key] = value }
        return try! ChatRequest(object: object)
    }

    static func run(
        _ program: GatewayProgram, _ request: ChatRequest, headers: [(name: String, value: String)] = [],
        key: String? = nil, adapter: ScriptedAdapter = ScriptedAdapter(), sleeper: SleepRecorder = SleepRecorder()
    ) async -> ExecutionResult {
        let context = CallContext(
            requestID: "test", logger: Logger(label: "test"), headers: RequestHeaders(headers), keyAlias: key,
            recordsDecisions: true, sleep: sleeper.sleep)
        return await program.execute(request, context: context, upstream: adapter)
    }

    /// Collects a reply's bytes; a stream that fails yields what arrived plus the error.
    static func collect(_ reply: UpstreamReply) async -> (text: String, error: (any Error)?) {
        switch reply {
        case .complete(let body): return (String(buffer: body), nil)
        case .stream(let stream):
            var text = ""
            do {
                for try await chunk in stream { text += String(buffer: chunk) }
                return (text, nil)
            } catch {
                return (text, error)
            }
        }
    }
}

extension ExecutionResult {
    var error: GatewayError? {
        if case .failure(let error) = outcome { return error }
        return nil
    }

    var succeeded: Bool { error == nil }
}
