import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import Testing

@testable import SwitchyardServer

/// LiteLLM configs served through the HTTP front end against the fake upstream: routing,
/// retries, cooldown, fallbacks, aliases, wildcards, mock responses, the master key, the
/// request-body switches and the `x-litellm-*` headers.
@Suite("LiteLLM configs end to end")
struct LiteLLMEndToEndTests {
    static func deployment(_ group: String, _ model: String, port: Int, _ extra: String = "") -> String {
        "  - model_name: \(group)\n    litellm_params: {model: openai/\(model), api_base: \"http://127.0.0.1:\(port)/v1\", api_key: sk-fake\(extra)}\n"
    }

    static func header(_ name: String) -> HTTPField.Name { HTTPField.Name(name)! }

    static func post(
        _ client: some TestClientProtocol, _ model: String, extra: String = "", key: String? = nil
    ) async throws -> (status: Int, headers: HTTPFields, body: String) {
        var headers = GatewayHarness.json
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: headers, body: GatewayHarness.chatBody(model: model, extra: extra)
        ) { response in
            (response.status.code, response.headers, String(buffer: response.body))
        }
    }

    @Test func mockResponseMasterKeyAndLiteLLMHeaders() async throws {
        let yaml = """
            model_list:
              - model_name: canned
                litellm_params: {model: openai/gpt-4o, mock_response: "This is a mock response."}
                model_info: {id: canned-1}
            general_settings:
              master_key: sk-1234
            litellm_settings:
              callbacks: [langfuse]
            """
        try await GatewayHarness.withGateway(yaml: yaml) { client in
            #expect(try await Self.post(client, "canned").status == 401)
            #expect(try await Self.post(client, "canned", key: "sk-wrong").status == 401)
            let answer = try await Self.post(client, "canned", key: "sk-1234")
            #expect(answer.status == 200)
            #expect(answer.body.contains("This is a mock response."))
            #expect(answer.headers[Self.header("x-litellm-model-id")] == "canned-1")
            #expect(answer.headers[Self.header("x-litellm-attempted-retries")] == "0")
            #expect(answer.headers[Self.header("x-litellm-attempted-fallbacks")] == "0")
            #expect(answer.headers[Self.header("x-litellm-model-group")] == "canned")
            let total = try #require(answer.headers[Self.header("x-litellm-response-duration-ms")].flatMap(Double.init))
            let overhead = try #require(answer.headers[Self.header("x-litellm-overhead-duration-ms")].flatMap(Double.init))
            #expect(overhead <= total)
            #expect(answer.headers[Self.header("x-switchyard-target")] == "mock/gpt-4o")
        }
    }

    @Test func numRetriesRetriesAFlakyUpstreamAndHeadersCountThem() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n" + Self.deployment("g", "flaky-2", port: port) + "router_settings: {num_retries: 2}\n"
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let answer = try await Self.post(client, "g")
                #expect(answer.status == 200)
                #expect(answer.headers[Self.header("x-litellm-attempted-retries")] == "2")
                // Upstream addresses stay inside unless the config asks for LiteLLM's debug headers.
                #expect(answer.headers[Self.header("x-litellm-model-api-base")] == nil)
            }
            #expect(upstream.requestedModels == ["flaky-2", "flaky-2", "flaky-2"])
        }
    }

    @Test func theAPIBaseHeaderIsOptInAndNeverCarriesCredentials() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = """
                server: {debug_headers: true, access_log: false}
                providers:
                  fake: {kind: openai, api_base: "http://user:hunter2@127.0.0.1:\(port)/v1", api_key: sk-x}
                models:
                  m: {provider: fake, model: ok}
                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let answer = try await Self.post(client, "m")
                #expect(answer.status == 200)
                let base = answer.headers[Self.header("x-litellm-model-api-base")]
                #expect(base == "http://127.0.0.1:\(port)/v1")
                let everything = answer.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + answer.body
                #expect(!everything.contains("hunter2"))
            }
        }
        #expect(LiteLLMCompatibility.publicURL("https://u:p%40ss@host.example:8443/v1?sig=secret#frag") == "https://host.example:8443/v1")
        #expect(LiteLLMCompatibility.publicURL("https://host.example/a@b/v1") == "https://host.example/a@b/v1")
    }

    @Test func retryPolicyPerErrorClass() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n" + Self.deployment("server", "fail-500", port: port) + Self.deployment("bad", "fail-400", port: port)
                + Self.deployment("auth", "fail-401", port: port) + """
                router_settings:
                  num_retries: 1
                  retry_policy: {InternalServerErrorRetries: 3, BadRequestErrorRetries: 1, AuthenticationErrorRetries: 0}

                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let server = try await Self.post(client, "server")
                let bad = try await Self.post(client, "bad")
                let auth = try await Self.post(client, "auth")
                let statuses: [Int] = [server.status, bad.status, auth.status]
                #expect(statuses == [500, 400, 401])
            }
            let counts = Dictionary(upstream.requestedModels.map { ($0, 1) }, uniquingKeysWith: +)
            #expect(counts == ["fail-500": 4, "fail-400": 2, "fail-401": 1])
        }
    }

    @Test func orderTiersAndCooldownAfterAllowedFails() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n" + Self.deployment("g", "fail-503", port: port, ", order: 1")
                + Self.deployment("g", "ok", port: port, ", order: 2") + """
                router_settings: {num_retries: 0, allowed_fails: 2, cooldown_time: 60}

                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                // The order-1 deployment serves until it has failed twice; then order 2 serves.
                var statuses: [Int] = []
                for _ in 0..<4 { statuses.append(try await Self.post(client, "g").status) }
                #expect(statuses == [503, 503, 200, 200])
            }
            #expect(upstream.requestedModels == ["fail-503", "fail-503", "ok", "ok"])
        }
    }

    @Test func fallbacksAndRequestSwitches() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n" + Self.deployment("primary", "fail-503", port: port) + Self.deployment("backup", "ok", port: port)
                + Self.deployment("lonely", "fail-500", port: port) + Self.deployment("big", "ok", port: port) + """
                router_settings:
                  num_retries: 0
                  fallbacks: [{primary: [backup]}]
                  context_window_fallbacks: [{backup: [big]}]

                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let fellBack = try await Self.post(client, "primary", extra: #","metadata":{"team":"a"}"#)
                #expect(fellBack.status == 200)
                #expect(fellBack.headers[Self.header("x-litellm-attempted-fallbacks")] == "1")
                #expect(try await Self.post(client, "primary", extra: #","disable_fallbacks":true"#).status == 503)
                let window = try await Self.post(client, "backup", extra: #","mock_testing_context_window_fallbacks":true"#)
                #expect(window.status == 200)
                #expect(window.headers[Self.header("x-litellm-attempted-fallbacks")] == "1")
                let perRequest = try await Self.post(client, "lonely", extra: #","fallbacks":["big"],"num_retries":1"#)
                #expect(perRequest.status == 200)
                #expect(perRequest.headers[Self.header("x-litellm-attempted-retries")] == "1")
            }
            #expect(upstream.requestedModels == ["fail-503", "ok", "fail-503", "ok", "fail-500", "fail-500", "ok"])
            // LiteLLM's own fields never reach the upstream.
            for received in upstream.received {
                for field in ["metadata", "disable_fallbacks", "mock_testing_context_window_fallbacks", "fallbacks", "num_retries"] {
                    #expect(received.json[field] == nil, "\(field) was sent upstream")
                }
            }
        }
    }

    @Test func aliasAndWildcardRouting() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n" + Self.deployment("real", "ok", port: port) + """
                  - model_name: "fake/*"
                    litellm_params: {model: "openai/*", api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-fake}
                router_settings:
                  model_group_alias: {gpt-4: real}

                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let alias = try await Self.post(client, "gpt-4")
                #expect(alias.status == 200)
                let wildcard = try await Self.post(client, "fake/flaky-0")
                #expect(wildcard.status == 200)
                #expect(wildcard.headers[Self.header("x-switchyard-target")] == "openai/flaky-0")
                #expect(try await Self.post(client, "other").status == 404)
            }
            #expect(upstream.requestedModels == ["ok", "flaky-0"])
        }
    }

    @Test func guardrailsMaskBeforeTheCallBlockAndScrubAnswersAfterIt() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n" + Self.deployment("g", "echo", port: port) + """
                guardrails:
                  - guardrail_name: pre
                    litellm_params:
                      guardrail: litellm_content_filter
                      mode: pre_call
                      default_on: true
                      patterns:
                        - {pattern_type: prebuilt, pattern_name: email, action: MASK}
                        - {pattern_type: prebuilt, pattern_name: us_ssn, action: BLOCK}
                  - guardrail_name: post
                    litellm_params:
                      guardrail: presidio
                      mode: post_call
                      pii_entities_config: {CREDIT_CARD: MASK}

                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let masked = try await Self.post(client, "g", extra: "").status
                #expect(masked == 200)
                let email = try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"g","messages":[{"role":"user","content":"write to jane@example.com"}]}"#)
                ) { String(buffer: $0.body) }
                #expect(!email.contains("jane@example.com"))
                let blocked = try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"g","messages":[{"role":"user","content":"ssn 123-45-6789"}]}"#)
                ) { ($0.status.code, $0.headers[Self.header("x-litellm-attempted-retries")]) }
                #expect(blocked.0 == 400)
                #expect(blocked.1 == "0")
                // post_call, asked for by the request: the card reaches the upstream, not the client.
                let card = try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"g","guardrails":["post"],"messages":[{"role":"user","content":"card 4111 1111 1111 1111"}]}"#)
                ) { String(buffer: $0.body) }
                #expect(!card.contains("4111 1111 1111 1111"))
            }
            let texts = upstream.received.map(\.lastUserText)
            #expect(texts.contains("card 4111 1111 1111 1111"))
            #expect(!texts.contains { $0.contains("jane@example.com") || $0.contains("123-45-6789") })
            #expect(upstream.received.allSatisfy { $0.json["guardrails"] == nil })
        }
    }

    @Test func simpleShuffleHonoursWeights() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            let yaml = "model_list:\n"
                + Self.deployment("g", "ok", port: port, ", weight: 1") + "    model_info: {id: light}\n"
                + Self.deployment("g", "ok", port: port, ", weight: 4") + "    model_info: {id: heavy}\n"
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                var counts: [String: Int] = [:]
                let n = 500
                for _ in 0..<n {
                    let answer = try await Self.post(client, "g")
                    counts[answer.headers[Self.header("x-litellm-model-id")] ?? "?", default: 0] += 1
                }
                let expected = ["light": 0.2, "heavy": 0.8]
                let chiSquare = expected.reduce(0.0) { sum, entry in
                    let e = entry.value * Double(n)
                    let o = Double(counts[entry.key, default: 0])
                    return sum + (o - e) * (o - e) / e
                }
                // 1 degree of freedom; p = 0.001 critical value 10.83.
                #expect(chiSquare < 10.83, "counts \(counts)")
            }
        }
    }
}
