import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

/// An OpenAI-compatible upstream that reports usage like OpenAI does: every answer used 1,000
/// prompt and 500 completion tokens; a stream sends its usage chunk (`"choices": []`) only when
/// the request asked for `stream_options.include_usage`. Model `slow` answers after 300 ms.
/// A real server on port 0.
final class UsageUpstream: Sendable {
    private let bodies = Mutex<[Data]>([])
    static let prompt = 1_000
    static let completion = 500

    /// The JSON bodies received, in order.
    var received: [[String: Any]] {
        bodies.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
    }

    func run<T: Sendable>(_ body: @Sendable (_ port: Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let data = Data(bytes.readableBytesView)
            self.bodies.withLock { $0.append(data) }
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            if json["model"] as? String == "slow" { try await Task.sleep(for: .milliseconds(300)) }
            let usage = #"{"prompt_tokens":\#(Self.prompt),"completion_tokens":\#(Self.completion),"total_tokens":\#(Self.prompt + Self.completion)}"#
            guard json["stream"] as? Bool == true else {
                let answer = #"{"id":"chatcmpl-u","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":\#(usage)}"#
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
            }
            let wantsUsage = (json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true
            let usageField = wantsUsage ? #","usage":null"# : ""
            var events = [
                #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]\#(usageField)}"#,
                #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]\#(usageField)}"#,
            ]
            if wantsUsage { events.append(#"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":\#(usage)}"#) }
            events.append("data: [DONE]")
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: .init(byteBuffer: ByteBuffer(string: events.map { $0 + "\n\n" }.joined())))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "usage-upstream"))
        return try await app.test(.live) { client in try await body(client.port!) }
    }
}
