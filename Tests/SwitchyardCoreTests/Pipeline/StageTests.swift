import Foundation
import Testing

@testable import SwitchyardCore

@Suite("pipeline stages")
struct StageTests {
    @Test func withoutPipelinesTheRequestedModelIsCalled() async throws {
        let program = try PipelineFixture.program("")
        let adapter = ScriptedAdapter()
        let result = await PipelineFixture.run(program, PipelineFixture.request(model: "ok"), adapter: adapter)
        #expect(result.succeeded)
        #expect(result.path == [])
        #expect(result.target?.label == "up/ok")
        #expect(result.attempts == 1)
        let missing = await PipelineFixture.run(program, PipelineFixture.request(model: "nope"))
        #expect(missing.error?.status == 404)
    }

    @Test func routeAndPipelineModels() async throws {
        let program = try PipelineFixture.program("""
              bot: {pipeline: support}
            pipelines:
              support:
                - route: ok
            """.replacingOccurrences(of: "  bot:", with: "  bot:"))
        // Without `main`, a request naming a pipeline model runs that pipeline.
        let result = await PipelineFixture.run(program, PipelineFixture.request(model: "bot"))
        #expect(result.path == ["support"])
        #expect(result.target?.label == "up/ok")
    }

    @Test func rejectAnswersInOpenAIShape() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - reject: {status: 451, message: "Not here."}
            """)
        let result = await PipelineFixture.run(program, PipelineFixture.request())
        let error = try #require(result.error)
        #expect(error.status == 451)
        #expect(error.code == .rejected)
        #expect(result.attempts == 0)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(error.body)) as? [String: Any])
        let object = try #require(body["error"] as? [String: Any])
        #expect(object["message"] as? String == "Not here.")
        #expect(object["code"] as? String == "request_rejected")
        #expect(object["type"] as? String == "invalid_request_error")
    }

    @Test func matchFirstCaseWinsThenContinuesAndElse() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - match:
                    - when: {user: vip}
                      then: [{transform: {set: {temperature: 0}}}]
                    - when: {user: {exists: true}}
                      goto: users
                - match:
                    - when: {param.temperature: 0}
                      route: ok2
                    - else: route-requested
              users:
                - route: fail-400
            """)
        let adapter = ScriptedAdapter()
        let vip = await PipelineFixture.run(program, PipelineFixture.request(extra: [("user", "vip")]), adapter: adapter)
        // The first case wins (vip also exists), its `then` list falls through to the next match.
        #expect(vip.path == ["main"])
        #expect(vip.target?.label == "up/ok")
        #expect(adapter.bodies.last?.contains(#""temperature":0"#) == true)
        #expect(vip.decisions.contains { $0.contains("case 1 holds") })
        let user = await PipelineFixture.run(program, PipelineFixture.request(extra: [("user", "u-1")]))
        #expect(user.path == ["main", "users"])
        #expect(user.error?.status == 400)
        let anonymous = await PipelineFixture.run(program, PipelineFixture.request(model: "ok"))
        #expect(anonymous.path == ["main"])
        #expect(anonymous.target?.label == "up/ok")
    }

    @Test func transformSetsDefaultsRemovesAndEditsTheSystemPrompt() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - transform:
                    set: {temperature: 0.1}
                    default: {max_tokens: 512, top_p: 0.5}
                    remove: [logit_bias]
                    model: ok2
                    system: {prepend: "Be brief.", append: "Answer in English."}
                - route-requested
            """)
        let adapter = ScriptedAdapter()
        let request = PipelineFixture.request(model: "ok", extra: [("top_p", .number("0.9")), ("logit_bias", ["1": 2])])
        let result = await PipelineFixture.run(program, request, adapter: adapter)
        #expect(result.succeeded)
        let body = try #require(adapter.bodies.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["temperature"] as? Double == 0.1)
        #expect(json["max_tokens"] as? Int == 512)
        #expect(json["top_p"] as? Double == 0.9)
        #expect(json["logit_bias"] == nil)
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.first?["role"] as? String == "system")
        #expect(messages.first?["content"] as? String == "Be brief.\n\nAnswer in English.")
        // `model: ok2` changed what route-requested calls.
        #expect(result.decisions.contains { $0.contains("route ok2") })
    }

    @Test func transformAppendsToAnExistingSystemMessage() {
        var transform = Transform()
        transform.systemPrepend = "First."
        var request = try! ChatRequest(object: JSONObject([
            ("model", "m"), ("messages", [["role": "system", "content": "Middle."], ["role": "user", "content": "hi"]]),
        ]))
        transform.apply(to: &request)
        #expect(request.messages.count == 2)
        #expect(request.messages[0].objectValue?["content"]?.stringValue == "First.\n\nMiddle.")
    }

    @Test func splitIsStickyPerSubjectAndRandomWithout() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - split:
                    by: header.x-user
                    arms:
                      - {name: a, weight: 50, route: ok}
                      - {name: b, weight: 50, route: ok2}
            """)
        for user in ["alice", "bob", "carol", "dave"] {
            let first = await PipelineFixture.run(program, PipelineFixture.request(), headers: [("x-user", user)])
            for _ in 0..<5 {
                let again = await PipelineFixture.run(program, PipelineFixture.request(), headers: [("x-user", user)])
                #expect(again.arm == first.arm)
            }
        }
        // A second, identical program (a restart or another replica) assigns the same arms.
        let replica = try PipelineFixture.program("""
            pipelines:
              main:
                - split:
                    by: header.x-user
                    arms:
                      - {name: a, weight: 50, route: ok}
                      - {name: b, weight: 50, route: ok2}
            """)
        for i in 0..<50 {
            let one = await PipelineFixture.run(program, PipelineFixture.request(), headers: [("x-user", "u-\(i)")])
            let two = await PipelineFixture.run(replica, PipelineFixture.request(), headers: [("x-user", "u-\(i)")])
            #expect(one.arm == two.arm)
        }
        var arms = Set<String>()
        for _ in 0..<64 { arms.insert(await PipelineFixture.run(program, PipelineFixture.request()).arm ?? "") }
        #expect(arms == ["a", "b"])  // no subject: random
    }

    @Test func splitOf10000SubjectsFollowsTheWeights() {
        let split = SplitStage(
            subject: .user,
            arms: [("control", 70, .route(0)), ("treatment", 20, .route(1)), ("holdout", 10, .route(2))],
            salt: "experiment")
        var counts = [0, 0, 0]
        var generator = SystemRandomNumberGenerator()
        for i in 0..<10_000 { counts[split.pick(subject: "user-\(i)", using: &generator)] += 1 }
        let expected = [7_000.0, 2_000.0, 1_000.0]
        let chiSquare = zip(counts, expected).map { (Double($0) - $1) * (Double($0) - $1) / $1 }.reduce(0, +)
        // 2 degrees of freedom: P(χ² > 13.82) = 0.001. The hash is deterministic, so this is not flaky.
        #expect(chiSquare < 13.82, "counts \(counts), χ² \(chiSquare)")
        for i in 0..<100 {
            #expect(split.pick(subject: "user-\(i)", using: &generator) == split.pick(subject: "user-\(i)", using: &generator))
        }
    }

    @Test func limitAnswers429WithRetryAfter() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - limit: {rpm: 2, by: user}
                - route: ok
            """)
        let request = PipelineFixture.request(extra: [("user", "u-1")])
        #expect(await PipelineFixture.run(program, request).succeeded)
        #expect(await PipelineFixture.run(program, request).succeeded)
        let limited = await PipelineFixture.run(program, request)
        let error = try #require(limited.error)
        #expect(error.status == 429)
        #expect(error.code == .rateLimited)
        #expect((1...30).contains(error.retryAfter ?? 0))  // one request refills in 30 s at 2 rpm
        #expect(limited.attempts == 0)
        // Another user has their own bucket.
        #expect(await PipelineFixture.run(program, PipelineFixture.request(extra: [("user", "u-2")])).succeeded)
    }

    @Test func limitTokensPerMinute() {
        var settings = LimitSettings()
        settings.tpm = 1_000
        let limiter = RateLimiter(settings: settings)
        func admitted(_ result: Result<Lease?, GatewayError>) -> Bool {
            if case .success = result { return true }
            return false
        }
        #expect(admitted(limiter.acquire(subject: "k", tokens: 600, now: 0)))
        let second = limiter.acquire(subject: "k", tokens: 600, now: 0)
        guard case .failure(let error) = second else { Issue.record("expected 429"); return }
        #expect(error.retryAfter == 12)  // 200 tokens missing at 1,000/60 per second
        // After refilling, it passes.
        #expect(admitted(limiter.acquire(subject: "k", tokens: 600, now: 13)))
    }

    @Test func concurrentLimitHoldsUntilTheStreamEnds() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - limit: {concurrent: 1, by: model}
                - route-requested
            """)
        let first = await PipelineFixture.run(program, PipelineFixture.request(model: "stream-ok", extra: [("stream", true)]))
        guard case .success(let reply) = first.outcome else { Issue.record("expected a stream"); return }
        let blocked = await PipelineFixture.run(program, PipelineFixture.request(model: "stream-ok", extra: [("stream", true)]))
        #expect(blocked.error?.status == 429)
        _ = await PipelineFixture.collect(reply)
        let after = await PipelineFixture.run(program, PipelineFixture.request(model: "stream-ok", extra: [("stream", true)]))
        #expect(after.succeeded)
    }

    @Test func scrubRunsTheRegisteredScrubber() async throws {
        struct Redactor: RequestScrubber {
            func scrub(_ request: inout ChatRequest) throws(GatewayError) -> ScrubReport {
                let text = JSONWriter.string(.array(request.messages)).replacingOccurrences(of: "jane@example.com", with: "[EMAIL]")
                request.set("messages", try! JSONParser.parse(text))
                return ScrubReport(summary: ScrubSummary(replacements: ["email": 1]))
            }
        }
        struct Factory: ScrubberFactory {
            func makeScrubber(name: String, settings: JSONObject) -> Result<any RequestScrubber, ScrubberSettingsError> {
                settings["detect"] == nil ? .failure(ScrubberSettingsError("needs detect", key: "detect")) : .success(Redactor())
            }
        }
        let yaml = """
            scrubbers:
              pii: {detect: [email]}
            pipelines:
              main:
                - scrub: pii
                - route: ok
            """
        let program = try PipelineFixture.program(yaml, scrubbers: Factory())
        let adapter = ScriptedAdapter()
        let result = await PipelineFixture.run(program, PipelineFixture.request(content: "mail jane@example.com"), adapter: adapter)
        #expect(result.succeeded)
        #expect(adapter.bodies.first?.contains("jane@example.com") == false)
        #expect(adapter.bodies.first?.contains("[EMAIL]") == true)
        #expect(result.scrubbed.first?.summary == ScrubSummary(replacements: ["email": 1]))
        // A factory's complaint about the settings is a compile error at the scrubber.
        #expect(throws: ConfigError.self) {
            try PipelineFixture.program(yaml.replacingOccurrences(of: "{detect: [email]}", with: "{action: redact}"), scrubbers: Factory())
        }
    }

    @Test func routeRequestedLoopsAreStopped() async throws {
        let program = try PipelineFixture.program("""
              loop: {pipeline: main}
            pipelines:
              main:
                - route-requested
            """)
        let result = await PipelineFixture.run(program, PipelineFixture.request(model: "loop"))
        #expect(result.error?.status == 508)
    }
}
