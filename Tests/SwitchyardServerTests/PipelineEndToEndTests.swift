import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import SwitchyardCore
import Testing

@testable import SwitchyardServer

/// The pipeline engine through the HTTP front end, against a real fake upstream.
@Suite("pipelines end to end")
struct PipelineEndToEndTests {
    static func pipelines() -> String {
        """
          primary: {provider: fake, model: fail-503}
          backup: {provider: fake, model: flaky-1}
        pipelines:
          main:
            - match:
                - when: {header.x-team: research}
                  goto: research
                - else: route-requested
          research:
            - split:
                by: user
                arms:
                  - {name: control, weight: 50, route: client-ok}
                  - {name: treatment, weight: 50, goto: resilient}
          resilient:
            - retry: {attempts: 2, backoff: {base: 10ms, max: 20ms}}
            - fallback: {to: [backup], on: [error]}
            - route: primary
        """
    }

    static let path = HTTPField.Name("x-switchyard-path")!
    static let target = HTTPField.Name("x-switchyard-target")!
    static let arm = HTTPField.Name("x-switchyard-arm")!
    static let attempts = HTTPField.Name("x-switchyard-attempts")!

    /// A user the split sends to `arm` (the hash is deterministic, so a dry run finds one).
    func user(in arm: String, yaml: String) async throws -> String {
        let program = try GatewayProgram(config: ConfigLoader.load(yaml: yaml, environment: [:]))
        for i in 0..<200 {
            let request = DryRunRequest(
                body: JSONObject([("model", "client-ok"), ("user", .string("user-\(i)")), ("messages", [["role": "user", "content": "hi"]])]),
                headers: [("x-team", "research")])
            if await program.dryRun(request).result.arm == arm { return "user-\(i)" }
        }
        throw CancellationError()
    }

    @Test func headerRuleThenSplitByUserThenRetryThenFallback() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = GatewayHarness.config(upstreamPort: port, extra: Self.pipelines())
            let treated = try await user(in: "treatment", yaml: yaml)
            let control = try await user(in: "control", yaml: yaml)
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let research: HTTPFields = [.contentType: "application/json", HTTPField.Name("x-team")!: "research"]
                // Research, treatment arm: primary fails (503) → fallback to backup, which fails
                // once (503) → the whole chain is retried: primary fails again → backup answers.
                let body = GatewayHarness.chatBody(model: "client-ok", extra: #","user":"\#(treated)""#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: research, body: body) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[Self.path] == "main,research,resilient")
                    #expect(response.headers[Self.arm] == "treatment")
                    #expect(response.headers[Self.target] == "fake/flaky-1")
                    #expect(response.headers[Self.attempts] == "4")
                    #expect(String(buffer: response.body).contains("upstream saw model flaky-1"))
                }
                // Research, control arm: straight to client-ok.
                let controlBody = GatewayHarness.chatBody(model: "client-ok", extra: #","user":"\#(control)""#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: research, body: controlBody) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[Self.path] == "main,research")
                    #expect(response.headers[Self.arm] == "control")
                    #expect(response.headers[Self.target] == "fake/ok")
                    #expect(response.headers[Self.attempts] == "1")
                }
                // No header: the requested model, no split.
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[Self.path] == "main")
                    #expect(response.headers[Self.arm] == nil)
                    #expect(response.headers[Self.target] == "fake/ok")
                }
            }
        }
        #expect(upstream.requestedModels == ["fail-503", "flaky-1", "fail-503", "flaky-1", "ok", "ok"])
    }

    @Test func failuresAndLimitsCarryThePathHeaders() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let extra = """
                pipelines:
                  main:
                    - limit: {rpm: 1, by: header.x-tenant}
                    - retry: {attempts: 2, backoff: {base: 5ms}}
                    - route-requested
                """
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port, extra: extra)) { client in
                let tenantA: HTTPFields = [.contentType: "application/json", HTTPField.Name("x-tenant")!: "a"]
                let tenantB: HTTPFields = [.contentType: "application/json", HTTPField.Name("x-tenant")!: "b"]
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: tenantA, body: GatewayHarness.chatBody(model: "fail-500")) { response in
                    #expect(response.status == .internalServerError)
                    #expect(response.headers[Self.path] == "main")
                    #expect(response.headers[Self.attempts] == "2")
                    #expect(response.headers[Self.target] == "fake/fail-500")
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: tenantA, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect(response.headers[.retryAfter] != nil)
                    #expect(response.headers[Self.path] == "main")
                    #expect(response.headers[Self.attempts] == "0")
                    let error = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
                    #expect((error?["error"] as? [String: Any])?["code"] as? String == "rate_limit_exceeded")
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: tenantB, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func streamsFallBackBeforeTheFirstByteAndEndWithAnErrorEventAfterIt() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let extra = """
                pipelines:
                  main:
                    - retry: {attempts: 3, backoff: {base: 5ms}}
                    - fallback: {to: [client-break], on: [error]}
                    - route: fail-500
                """
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port, extra: extra)) { client in
                // fail-500 answers with a status: the stream has not started, so the fallback
                // runs. client-break then sends one chunk and cuts the connection: that byte has
                // reached the client, so nothing is retried and the stream ends with an error event.
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json,
                    body: GatewayHarness.chatBody(model: "anything", stream: true)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[Self.attempts] == "2")
                    #expect(response.headers[Self.target] == "fake/break")
                    let text = String(buffer: response.body)
                    #expect(text.contains("partial"))
                    #expect(text.contains(#""error""#))
                    #expect(!text.contains("[DONE]"))
                }
            }
        }
        #expect(upstream.requestedModels == ["fail-500", "break"])
    }

    @Test func theAccessLogLineCarriesPathArmAndTarget() async throws {
        let upstream = FakeUpstream()
        let logs = InMemoryLogHandler()
        try await upstream.run { port in
            let yaml = GatewayHarness.config(upstreamPort: port, extra: Self.pipelines())
                .replacingOccurrences(of: "access_log: false", with: "access_log: true")
            let control = try await user(in: "control", yaml: yaml)
            try await GatewayHarness.withGateway(yaml: yaml, logHandler: logs) { client in
                let research: HTTPFields = [.contentType: "application/json", HTTPField.Name("x-team")!: "research"]
                let body = GatewayHarness.chatBody(model: "client-ok", extra: #","user":"\#(control)""#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: research, body: body) { response in
                    #expect(response.status == .ok)
                }
            }
        }
        let line = try #require(logs.entries.first { $0.message.description == "request" && $0.metadata["http.route"] == "/v1/chat/completions" })
        #expect(line.level == .info)
        #expect(line.metadata["pipeline.path"] == "main,research")
        #expect(line.metadata["pipeline.arm"] == "control")
        #expect(line.metadata["provider.target"] == "fake/ok")
        #expect(line.metadata["upstream.attempts"]?.description == "1")
        // The log line never carries the caller's content.
        #expect(!logs.entries.contains { "\($0.metadata)".contains("hello") })
    }
}
