import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A fake OpenAI-compatible upstream: a real Hummingbird server on port 0 in the test process,
/// so the gateway's real HTTP client code runs. Its behaviour is chosen by the upstream model
/// name the gateway sends:
///
/// - `ok`: a chat.completion whose content echoes the request's `model`
/// - `stream`: the first SSE chunk, then waits for `releaseStream()`, then the rest + `[DONE]`
/// - `endless`: an SSE chunk every 20 ms for up to 10 s; records when the reader goes away
/// - `break`: one SSE chunk, then the connection is cut mid-stream
/// - `fail-NNN`: HTTP NNN with an OpenAI error body; `plain-NNN`: HTTP NNN with a text body
/// - `flaky-N`: HTTP 503 for the first N requests naming it, then like `ok`
final class FakeUpstream: Sendable {
    struct Received: Sendable {
        var body: [UInt8]
        var headers: HTTPFields
        /// The content of the last user message, as the upstream received it.
        var lastUserText: String {
            let messages = json["messages"] as? [[String: Any]] ?? []
            return messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
        }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    private let state = Mutex<(received: [Received], streamGate: AsyncStream<Void>.Continuation?, disconnected: Bool)>(([], nil, false))
    /// Requests seen per upstream model name (for `flaky-N`).
    private let counts = Mutex<[String: Int]>([:])

    /// The upstream model names requested, in order.
    var requestedModels: [String] { received.map { $0.json["model"] as? String ?? "" } }
    let gate: AsyncStream<Void>

    init() {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        gate = stream
        state.withLock { $0.streamGate = continuation }
    }

    var received: [Received] { state.withLock { $0.received } }
    var sawDisconnect: Bool { state.withLock { $0.disconnected } }
    func releaseStream() { _ = state.withLock { $0.streamGate?.yield(()) } }

    /// Runs the fake on a free port for the duration of `body`.
    func run<T: Sendable>(_ body: @Sendable (_ port: Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 16 * 1024 * 1024)
            let received = Received(body: Array(bytes.readableBytesView), headers: request.headers)
            self.state.withLock { $0.received.append(received) }
            let model = received.json["model"] as? String ?? ""
            return self.respond(model: model, received: received)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "fake-upstream"))
        return try await app.test(.live) { client in try await body(client.port!) }
    }

    private func respond(model: String, received: Received) -> Response {
        let sse: HTTPFields = [.contentType: "text/event-stream"]
        let seen = counts.withLock { counts in
            counts[model, default: 0] += 1
            return counts[model]!
        }
        switch model {
        case "echo":
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: Self.completion(json: received.lastUserText))))
        case let name where name.hasPrefix("echo-stream-"):
            let size = max(1, Int(name.dropFirst(12)) ?? 1)
            let text = Array(received.lastUserText)
            let pieces = stride(from: 0, to: text.count, by: size).map { String(text[$0..<min($0 + size, text.count)]) }
            return Response(status: .ok, headers: sse, body: .init(byteBuffer: ByteBuffer(string: Self.sse(pieces))))
        case let name where name.hasPrefix("split-"):
            let text = Array(Self.pii)
            let at = min(text.count, Int(name.dropFirst(6)) ?? 0)
            return Response(status: .ok, headers: sse, body: ResponseBody { writer in
                // Two writes, so the value may also be split across TCP reads.
                try await writer.write(ByteBuffer(string: Self.sse([String(text[..<at])], done: false)))
                try await writer.write(ByteBuffer(string: Self.sse([String(text[at...])])))
                try await writer.finish(nil)
            })
        case let name where name.hasPrefix("flaky-"):
            let failures = Int(name.dropFirst(6)) ?? 1
            if seen <= failures {
                return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"flaky upstream, try again","type":"server_error","param":null,"code":null}}"#)))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: Self.completion(content: "upstream saw model \(model)"))))
        case "ok":
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: Self.completion(content: "upstream saw model \(model)"))))
        case "stream":
            return Response(status: .ok, headers: sse, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: Self.chunk("first")))
                var gate = self.gate.makeAsyncIterator()
                _ = await gate.next()
                try await writer.write(ByteBuffer(string: Self.chunk("second")))
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
        case "endless":
            return Response(status: .ok, headers: sse, body: ResponseBody { writer in
                do {
                    for i in 0..<500 {
                        try await writer.write(ByteBuffer(string: Self.chunk("tick \(i)")))
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    try await writer.finish(nil)
                } catch {
                    self.state.withLock { $0.disconnected = true }
                    throw error
                }
            })
        case "break":
            return Response(status: .ok, headers: sse, body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: Self.chunk("partial")))
                throw CancellationError()
            })
        case let name where name.hasPrefix("fail-"):
            let status = Int(name.dropFirst(5)) ?? 500
            var headers: HTTPFields = [.contentType: "application/json"]
            if status == 429 { headers[.retryAfter] = "7" }
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"upstream says \#(status)","type":"upstream_type","param":null,"code":"upstream_code"}}"#)))
        case let name where name.hasPrefix("plain-"):
            return Response(status: .init(code: Int(name.dropFirst(6)) ?? 500), body: .init(byteBuffer: ByteBuffer(string: "plain failure text")))
        default:
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "unknown fake model \(model)")))
        }
    }

    /// A reply full of PII, for response scrubbing.
    static let pii = "Reach Jane at jane.doe@example.com or 4111 1111 1111 1111, today."

    /// A chat.completion with `content` properly JSON-escaped.
    static func completion(json content: String) -> String {
        let object: [String: Any] = [
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1, "model": "fake",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// SSE chunks carrying `pieces` as content deltas, then a finish chunk and `[DONE]`.
    static func sse(_ pieces: [String], done: Bool = true) -> String {
        func event(_ choice: [String: Any]) -> String {
            let object: [String: Any] = ["id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1, "model": "fake", "choices": [choice]]
            return "data: " + String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self) + "\n\n"
        }
        var text = pieces.map { event(["index": 0, "delta": ["content": $0], "finish_reason": NSNull()]) }.joined()
        if done { text += event(["index": 0, "delta": [String: Any](), "finish_reason": "stop"]) + "data: [DONE]\n\n" }
        return text
    }

    static func completion(content: String) -> String {
        #"{"id":"chatcmpl-fake","object":"chat.completion","created":1,"model":"fake","choices":[{"index":0,"message":{"role":"assistant","content":"\#(content)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"#
    }

    static func chunk(_ content: String) -> String {
        #"data: {"id":"chatcmpl-fake","object":"chat.completion.chunk","created":1,"model":"fake","choices":[{"index":0,"delta":{"content":"\#(content)"},"finish_reason":null}]}"# + "\n\n"
    }
}
