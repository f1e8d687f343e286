import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import NIOCore
import Testing

/// PII scrubbing through the HTTP front end, with `pipelines/pii-redaction.yaml` pointed at a real
/// fake upstream that records every body it receives.
@Suite("PII scrubbing end to end")
struct ScrubEndToEndTests {
    /// The shipped example policy, with its mock provider swapped for the fake upstream.
    static func policyConfig(upstreamPort: Int, extraModels: [String] = []) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../pipelines/pii-redaction.yaml")
        var yaml = try String(contentsOf: url, encoding: .utf8)
        yaml = yaml.replacingOccurrences(
            of: "  local: {kind: mock}",
            with: "  local: {kind: openai, api_base: \"http://127.0.0.1:\(upstreamPort)/v1\", api_key: sk-upstream}")
        yaml = yaml.replacingOccurrences(of: "\nmodels:\n", with: "\nmodels:\n" + extraModels.map { "  \($0): {provider: local}\n" }.joined())
        return yaml
    }

    /// Labelled values of every detected type, in varied formats.
    static let labelled: [String] = [
        "jane.doe@example.com", "o'brien.k+news@mail.example.co.uk", "+1 415 555 2671", "(415) 555-2671", "+44 20 7946 0958",
        "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "123-45-6789", "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432", "192.168.10.24", "2001:db8:85a3::8a2e:370:7334", "AKIAIOSFODNN7EXAMPLE",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "https://admin:hunter2@db.internal.example.com/", "EMP-654321",
    ]

    func post(_ client: some TestClientProtocol, _ body: [String: Any]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await client.execute(uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: data))
    }

    @Test func noLabelledValueReachesTheUpstream() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: try Self.policyConfig(upstreamPort: port)) { client in
                for (i, value) in Self.labelled.enumerated() {
                    let body: [String: Any] = [
                        "model": "echo",
                        "messages": [
                            ["role": "system", "content": "Context: \(value)."],
                            ["role": "user", "content": [["type": "text", "text": "Case \(i): please handle \(value) carefully"]]],
                            ["role": "assistant", "tool_calls": [["id": "c\(i)", "type": "function", "function": ["name": "lookup", "arguments": "{\"q\":\"\(value)\"}"]]]],
                            ["role": "tool", "tool_call_id": "c\(i)", "content": "found \(value)"],
                            ["role": "user", "content": "Thanks, and \(value) again."],
                        ],
                    ]
                    let response = try await post(client, body)
                    #expect(response.status == .ok, "\(value)")
                }
            }
        }
        let bodies = upstream.received.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == Self.labelled.count)
        for value in Self.labelled {
            let escaped = value.replacingOccurrences(of: "/", with: "\\/")
            #expect(!bodies.contains { $0.contains(value) || $0.contains(escaped) }, "'\(value)' reached the upstream")
        }
    }

    @Test func blockedValuesAreRefusedBeforeTheUpstream() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: try Self.policyConfig(upstreamPort: port)) { client in
                let response = try await post(client, ["model": "echo", "messages": [["role": "user", "content": "key: ghp_abcdefghijklmnopqrstuvwxyz0123456789"]]])
                #expect(response.status == .badRequest)
                let text = String(buffer: response.body)
                #expect(text.contains("content_blocked"))
                #expect(text.contains("API_KEY"))
                #expect(!text.contains("ghp_"))
            }
        }
        #expect(upstream.received.isEmpty)
    }

    @Test func tokenizedValuesAreRestoredInAnswers() async throws {
        let upstream = FakeUpstream()
        let iban = "DE89 3704 0044 0532 0130 00"
        try await upstream.run { port in
            let yaml = try Self.policyConfig(upstreamPort: port, extraModels: ["echo-stream-3"])
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let message = [["role": "user", "content": "Pay \(iban) by Friday"]]
                let plain = try await post(client, ["model": "echo", "messages": message])
                #expect(String(buffer: plain.body).contains("Pay \(iban) by Friday"))

                let streamed = try await post(client, ["model": "echo-stream-3", "stream": true, "messages": message])
                #expect(Self.streamedText(streamed.body) == "Pay \(iban) by Friday")
            }
        }
        let bodies = upstream.received.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.allSatisfy { $0.contains("<IBAN_1>") && !$0.contains("3704") })
    }

    @Test func streamedAnswersAreScrubbedWhereverTheChunksSplit() async throws {
        let upstream = FakeUpstream()
        let length = FakeUpstream.pii.count
        try await upstream.run { port in
            let yaml = try Self.policyConfig(upstreamPort: port, extraModels: (0...length).map { "split-\($0)" })
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                for at in 0...length {
                    let response = try await post(client, ["model": "split-\(at)", "stream": true, "messages": [["role": "user", "content": "hi"]]])
                    let raw = String(buffer: response.body)
                    let text = Self.streamedText(response.body)
                    #expect(!raw.contains("jane.doe@example.com") && !raw.contains("4111 1111 1111 1111"), "split at \(at): \(text)")
                    #expect(text.contains("[EMAIL]") && text.hasSuffix(", today."), "split at \(at): \(text)")
                    #expect(raw.hasSuffix("data: [DONE]\n\n"))
                }
            }
        }
    }

    @Test func aPatternThatBacktracksWithoutEndFailsClosed() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = """
                providers: {fake: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: k}}
                models: {echo: {provider: fake}}
                scrubbers:
                  slow: {detect: [email], patterns: {words: '^(\\w+\\s?)+$'}}
                pipelines:
                  main: [{scrub: slow}, route-requested]
                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let text = String(repeating: "aaaa ", count: 400) + "!"
                let response = try await post(client, ["model": "echo", "messages": [["role": "user", "content": text]]])
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("scrub_failed"))
                let ok = try await post(client, ["model": "echo", "messages": [["role": "user", "content": "fine"]]])
                #expect(ok.status == .ok)
            }
        }
        // Only the harmless request went upstream.
        #expect(upstream.received.count == 1)
    }

    @Test func logsNeverCarryScrubbedValuesOrKeys() async throws {
        let upstream = FakeUpstream()
        let logs = InMemoryLogHandler()
        try await upstream.run { port in
            let yaml = try Self.policyConfig(upstreamPort: port).replacingOccurrences(of: "\nproviders:", with: "\nserver: {master_key: sk-master-log-test}\nproviders:")
            try await GatewayHarness.withGateway(yaml: yaml, logHandler: logs) { client in
                for content in ["mail jane.doe@example.com", "key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789", "pay DE89 3704 0044 0532 0130 00"] {
                    let data = try JSONSerialization.data(withJSONObject: ["model": "echo", "messages": [["role": "user", "content": content]]])
                    _ = try await client.execute(
                        uri: "/v1/chat/completions", method: .post,
                        headers: [.contentType: "application/json", .authorization: "Bearer sk-master-log-test"], body: ByteBuffer(bytes: data))
                }
            }
        }
        #expect(logs.entries.count >= 3)
        let text = logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        for secret in ["jane.doe@example.com", "sk-proj-", "3704 0044", "sk-master-log-test", "sk-upstream"] {
            #expect(!text.contains(secret), "'\(secret)' was logged")
        }
    }

    /// The content deltas of an SSE body, concatenated.
    static func streamedText(_ body: ByteBuffer) -> String {
        String(buffer: body).components(separatedBy: "\n\n").compactMap { event -> String? in
            guard event.hasPrefix("data: "), let data = event.dropFirst(6).data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let choice = (object["choices"] as? [[String: Any]])?.first,
                let delta = choice["delta"] as? [String: Any]
            else { return nil }
            return delta["content"] as? String
        }.joined()
    }
}
