import Foundation
import Logging
import Testing

@testable import SwitchyardCore

/// LiteLLM router behaviour, run through the engine with a scripted upstream: retries per error
/// class, each fallback list kind, request switches, aliases, wildcards, shuffle weights,
/// least-busy, pre-call checks, tag routing and guardrails.
@Suite("LiteLLM routing behaviour")
struct LiteLLMRoutingTests {
    static func program(_ yaml: String) throws -> GatewayProgram { try LiteLLMConfigTests.program(yaml) }
    static func load(_ yaml: String) throws -> GatewayConfig { try LiteLLMConfigTests.load(yaml) }
    static func deployment(_ group: String, _ model: String, _ extra: String = "") -> String {
        LiteLLMConfigTests.deployment(group, model, extra)
    }

    @Test func numRetriesAndRetryPolicyPerErrorClass() async throws {
        let program = try Self.program("model_list:\n" + Self.deployment("a", "fail-500") + Self.deployment("b", "fail-400")
            + Self.deployment("c", "fail-401") + Self.deployment("d", "flaky-2") + """
            router_settings:
              num_retries: 3
              retry_policy: {BadRequestErrorRetries: 1}

            """)
        for (model, attempts, succeeded) in [("a", 4, false), ("b", 2, false), ("c", 1, false), ("d", 3, true)] {
            let result = await PipelineFixture.run(program, PipelineFixture.request(model: model))
            #expect(result.attempts == attempts, "\(model)")
            #expect(result.retries == attempts - 1, "\(model)")
            #expect(result.succeeded == succeeded, "\(model)")
        }
    }

    @Test func eachFallbackListKind() async throws {
        let program = try Self.program("model_list:\n" + Self.deployment("broken", "fail-503") + Self.deployment("long", "context")
            + Self.deployment("touchy", "policy") + Self.deployment("other", "fail-500") + Self.deployment("good", "ok")
            + Self.deployment("big", "ok") + Self.deployment("safe", "ok") + Self.deployment("spare", "ok") + """
            router_settings:
              num_retries: 0
              fallbacks: [{broken: [good]}]
              context_window_fallbacks: [{long: [big]}]
              content_policy_fallbacks: [{touchy: [safe]}]
              default_fallbacks: [spare]

            """)
        for (model, target) in [("broken", "good"), ("long", "big"), ("touchy", "safe"), ("other", "spare")] {
            let result = await PipelineFixture.run(program, PipelineFixture.request(model: model))
            #expect(result.succeeded, "\(model)")
            #expect(result.fallbacks == 1, "\(model)")
            #expect(result.target?.label == "openai/ok", "\(model)")
            _ = target
        }
        // A context-window error is not a generic failure: default_fallbacks do not catch it.
        let noList = try Self.program("model_list:\n" + Self.deployment("long", "context") + Self.deployment("spare", "ok")
            + "router_settings: {num_retries: 0, default_fallbacks: [spare]}\n")
        let result = await PipelineFixture.run(noList, PipelineFixture.request(model: "long"))
        #expect(result.error?.status == 400)
        #expect(result.fallbacks == 0)
    }

    @Test func preCallChecksSendLongPromptsToTheContextWindowFallback() async throws {
        let program = try Self.program("model_list:\n"
            + Self.deployment("small", "fail-500") + "    model_info: {max_input_tokens: 10}\n"
            + Self.deployment("large", "ok") + Self.deployment("alone", "ok") + "    model_info: {max_input_tokens: 10}\n" + """
            router_settings:
              enable_pre_call_checks: true
              context_window_fallbacks: [{small: [large]}]

            """)
        let long = String(repeating: "word ", count: 20)
        let adapter = ScriptedAdapter()
        let routed = await PipelineFixture.run(program, PipelineFixture.request(model: "small", content: long), adapter: adapter)
        #expect(routed.succeeded)
        #expect(adapter.labels == ["openai/ok"])
        let refused = await PipelineFixture.run(program, PipelineFixture.request(model: "alone", content: long), adapter: adapter)
        #expect(refused.error?.status == 400)
        let short = await PipelineFixture.run(program, PipelineFixture.request(model: "alone", content: "hi"), adapter: adapter)
        #expect(short.succeeded)
    }

    @Test func tagFilteringRoutesByTheRequestsTags() async throws {
        let program = try Self.program("model_list:\n"
            + Self.deployment("g", "ok", ", tags: [free]") + "    model_info: {id: free-1}\n"
            + Self.deployment("g", "ok", ", tags: [paid]") + "    model_info: {id: paid-1}\n"
            + Self.deployment("g", "ok", ", tags: [default]") + "    model_info: {id: default-1}\n"
            + "router_settings: {enable_tag_filtering: true}\n")
        for _ in 0..<10 {
            let paid = await PipelineFixture.run(program, PipelineFixture.request(model: "g", extra: [("tags", ["paid"])]))
            #expect(paid.target?.id == "paid-1")
            let free = await PipelineFixture.run(program, PipelineFixture.request(model: "g", extra: [("metadata", ["tags": ["free"]])]))
            #expect(free.target?.id == "free-1")
            let untagged = await PipelineFixture.run(program, PipelineFixture.request(model: "g"))
            #expect(untagged.target?.id == "default-1")
        }
        // Without enable_tag_filtering, tags are reported unsupported.
        let plain = try Self.load("model_list:\n" + Self.deployment("g", "ok", ", tags: [free]"))
        #expect(plain.warnings.first?.path == "model_list[0].litellm_params.tags")
    }

    @Test func requestSwitchesDriveFallbacksAndRetries() async throws {
        let program = try Self.program("model_list:\n" + Self.deployment("main", "ok") + Self.deployment("backup", "ok")
            + Self.deployment("big", "ok") + Self.deployment("flaky", "fail-503") + Self.deployment("lonely", "fail-500") + """
            router_settings:
              num_retries: 0
              fallbacks: [{main: [backup]}, {flaky: [backup]}]
              context_window_fallbacks: [{main: [big]}]

            """)
        func run(_ model: String, _ extra: [(String, JSONValue)]) async -> ExecutionResult {
            var context = CallContext(requestID: "t", logger: .init(label: "t"), sleep: { _ in })
            let request = PipelineFixture.request(model: model, extra: extra)
            context.overrides = RequestOverrides(request: request)
            return await program.execute(request, context: context, upstream: ScriptedAdapter())
        }
        let mocked = await run("main", [("mock_testing_fallbacks", true)])
        #expect(mocked.succeeded && mocked.fallbacks == 1 && mocked.attempts == 1)
        let window = await run("main", [("mock_testing_context_window_fallbacks", true)])
        #expect(window.succeeded && window.fallbacks == 1)
        let disabled = await run("flaky", [("disable_fallbacks", true)])
        #expect(disabled.error?.status == 503 && disabled.fallbacks == 0)
        let retried = await run("flaky", [("num_retries", 2), ("disable_fallbacks", true)])
        #expect(retried.attempts == 3 && retried.retries == 2)
        let perRequest = await run("lonely", [("fallbacks", ["big"])])
        #expect(perRequest.succeeded && perRequest.fallbacks == 1 && perRequest.attempts == 2)
    }

    @Test func modelGroupAliasAndWildcards() async throws {
        let program = try Self.program("model_list:\n" + Self.deployment("real", "ok") + """
              - model_name: "up/*"
                litellm_params: {model: "openai/*", api_base: http://up.test/v1, api_key: sk-x}
              - model_name: "*"
                litellm_params: {model: "openai/*", api_base: http://up.test/v1, api_key: sk-y}
            router_settings:
              model_group_alias: {gpt-4: real}

            """)
        let adapter = ScriptedAdapter()
        let alias = await PipelineFixture.run(program, PipelineFixture.request(model: "gpt-4"), adapter: adapter)
        #expect(alias.succeeded)
        let wildcard = await PipelineFixture.run(program, PipelineFixture.request(model: "up/flaky-0"), adapter: adapter)
        #expect(wildcard.succeeded)
        #expect(wildcard.target?.model == "flaky-0")
        let catchAll = await PipelineFixture.run(program, PipelineFixture.request(model: "ok"), adapter: adapter)
        #expect(catchAll.succeeded && catchAll.target?.label == "openai-2/ok")
        #expect(adapter.labels == ["openai/ok", "openai/flaky-0", "openai-2/ok"])
    }

    @Test func simpleShuffleHonoursWeightsWithinAChiSquareBound() async throws {
        let program = try Self.program("model_list:\n"
            + Self.deployment("g", "ok", ", weight: 1") + "    model_info: {id: a}\n"
            + Self.deployment("g", "ok", ", weight: 3") + "    model_info: {id: b}\n"
            + Self.deployment("g", "ok", ", weight: 6") + "    model_info: {id: c}\n")
        var counts: [String: Int] = [:]
        let n = 3000
        for _ in 0..<n {
            let result = await PipelineFixture.run(program, PipelineFixture.request(model: "g"))
            counts[result.target?.id ?? "?", default: 0] += 1
        }
        let expected = ["a": 0.1, "b": 0.3, "c": 0.6]
        let chiSquare = expected.reduce(0.0) { sum, entry in
            let e = entry.value * Double(n)
            let o = Double(counts[entry.key, default: 0])
            return sum + (o - e) * (o - e) / e
        }
        // 2 degrees of freedom; p = 0.001 critical value 13.82.
        #expect(chiSquare < 13.82, "counts \(counts)")
    }

    @Test func simpleShuffleWithoutWeightsHonoursRPM() async throws {
        let program = try Self.program("model_list:\n"
            + Self.deployment("g", "ok", ", rpm: 100") + "    model_info: {id: small}\n"
            + Self.deployment("g", "ok", ", rpm: 300") + "    model_info: {id: large}\n")
        var counts: [String: Int] = [:]
        let n = 2000
        for _ in 0..<n {
            counts[await PipelineFixture.run(program, PipelineFixture.request(model: "g")).target?.id ?? "?", default: 0] += 1
        }
        let chiSquare = [("small", 0.25), ("large", 0.75)].reduce(0.0) { sum, entry in
            let e = entry.1 * Double(n), o = Double(counts[entry.0, default: 0])
            return sum + (o - e) * (o - e) / e
        }
        #expect(chiSquare < 10.83, "counts \(counts)")  // 1 degree of freedom, p = 0.001
    }

    @Test func leastBusySendsTheNextRequestToTheIdleDeployment() async throws {
        let program = try Self.program("model_list:\n"
            + Self.deployment("g", "stream-ok") + "    model_info: {id: a}\n"
            + Self.deployment("g", "stream-ok") + "    model_info: {id: b}\n"
            + "router_settings: {routing_strategy: least-busy}\n")
        for _ in 0..<20 {
            // Two streams held open at once go to different deployments.
            let first = await PipelineFixture.run(program, PipelineFixture.request(model: "g"))
            let second = await PipelineFixture.run(program, PipelineFixture.request(model: "g"))
            #expect(first.target?.id != second.target?.id)
            for result in [first, second] {
                if case .success(let reply) = result.outcome { _ = await PipelineFixture.collect(reply) }
            }
        }
    }

    @Test func guardrailsBecomeScrubbersAndScrubStages() async throws {
        let program = try Self.program("model_list:\n" + Self.deployment("g", "ok") + #"""
            guardrails:
              - guardrail_name: filter
                litellm_params:
                  guardrail: litellm_content_filter
                  mode: pre_call
                  default_on: true
                  patterns:
                    - {pattern_type: prebuilt, pattern_name: email, action: MASK}
                    - {pattern_type: prebuilt, pattern_name: us_ssn, action: BLOCK}
                    - {pattern_type: regex, name: ticket, pattern: '\bTICKET-\d{4}\b', action: MASK}
              - guardrail_name: pii
                litellm_params:
                  guardrail: presidio
                  mode: pre_call
                  pii_entities_config: {CREDIT_CARD: MASK, PERSON: MASK}
            """#)
        let adapter = ScriptedAdapter()
        let masked = await PipelineFixture.run(program, PipelineFixture.request(model: "g", content: "mail jane@example.com about TICKET-1234"), adapter: adapter)
        #expect(masked.succeeded)
        #expect(adapter.bodies.last?.contains("jane@example.com") == false)
        #expect(adapter.bodies.last?.contains("TICKET-1234") == false)
        let blocked = await PipelineFixture.run(program, PipelineFixture.request(model: "g", content: "my ssn is 123-45-6789"), adapter: adapter)
        #expect(blocked.error?.status == 400)
        // Not default_on: only for requests that list it.
        let card = "pay with 4111 1111 1111 1111"
        _ = await PipelineFixture.run(program, PipelineFixture.request(model: "g", content: card), adapter: adapter)
        #expect(adapter.bodies.last?.contains("4111 1111 1111 1111") == true)
        _ = await PipelineFixture.run(program, PipelineFixture.request(model: "g", content: card, extra: [("guardrails", ["pii"])]), adapter: adapter)
        #expect(adapter.bodies.last?.contains("4111 1111 1111 1111") == false)
    }

}
