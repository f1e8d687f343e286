import Testing

@testable import SwitchyardCore

@Suite("retry, fallback and streams")
struct ResilienceTests {
    func program(_ stages: String) throws -> GatewayProgram {
        try PipelineFixture.program("pipelines:\n  main:\n" + stages)
    }

    @Test func retryCountsAgainstAnUpstreamFailingNTimes() async throws {
        let program = try program("""
                - retry: {attempts: 3, backoff: {base: 100ms, max: 1s}}
                - route-requested
            """)
        let adapter = ScriptedAdapter()
        let sleeper = SleepRecorder()
        let result = await PipelineFixture.run(program, PipelineFixture.request(model: "flaky-2"), adapter: adapter, sleeper: sleeper)
        #expect(result.succeeded)
        #expect(result.attempts == 3)
        #expect(adapter.labels == ["up/flaky-2", "up/flaky-2", "up/flaky-2"])
        // Exponential backoff with 50–100 % jitter: 50–100 ms, then 100–200 ms.
        let delays = sleeper.recorded.map(\.milliseconds)
        #expect(delays.count == 2)
        #expect((50...100).contains(delays[0]))
        #expect((100...200).contains(delays[1]))

        // Three failures with three attempts: the last error is answered.
        let exhausted = await PipelineFixture.run(program, PipelineFixture.request(model: "fail-503"))
        #expect(exhausted.error?.status == 503)
        #expect(exhausted.attempts == 3)
    }

    @Test func retryableStatusesAndClasses() async throws {
        let program = try program("""
                - retry: {attempts: 2, backoff: {base: 1ms}}
                - route-requested
            """)
        for model in ["fail-408", "fail-409", "fail-429", "fail-500", "timeout", "connect"] {
            let result = await PipelineFixture.run(program, PipelineFixture.request(model: model))
            #expect(result.attempts == 2, "\(model) should be retried")
        }
        for model in ["fail-400", "context", "policy"] {
            let result = await PipelineFixture.run(program, PipelineFixture.request(model: model))
            #expect(result.attempts == 1, "\(model) must not be retried")
        }
    }

    @Test func retryOnlyOnWhatItNames() async throws {
        let program = try program("""
                - retry: {attempts: 3, on: [429], backoff: {base: 1ms}}
                - route-requested
            """)
        #expect(await PipelineFixture.run(program, PipelineFixture.request(model: "fail-429")).attempts == 3)
        #expect(await PipelineFixture.run(program, PipelineFixture.request(model: "fail-503")).attempts == 1)
    }

    @Test func retryAfterIsHonouredAndCapped() async throws {
        let program = try program("""
                - retry: {attempts: 2, backoff: {base: 10ms, max: 20ms}, max_retry_after: 5s}
                - route-requested
            """)
        let sleeper = SleepRecorder()
        _ = await PipelineFixture.run(program, PipelineFixture.request(model: "ratelimited-3"), sleeper: sleeper)
        #expect(sleeper.recorded == [.seconds(3)])
        let capped = SleepRecorder()
        _ = await PipelineFixture.run(program, PipelineFixture.request(model: "ratelimited-60"), sleeper: capped)
        #expect(capped.recorded == [.seconds(5)])
    }

    @Test func retryAfterInMilliseconds() {
        var policy = RetryPolicy()
        policy.baseDelay = .milliseconds(1)
        var error = GatewayError(.upstreamError, status: 429, message: "x", retryAfter: 1)
        error.retryAfterMilliseconds = 1_500
        var generator = SystemRandomNumberGenerator()
        #expect(policy.delay(beforeRetry: 1, after: error, using: &generator) == .milliseconds(1_500))
    }

    @Test func fallbackClasses() async throws {
        func fallsBack(_ on: String, from model: String) async throws -> Bool {
            let program = try program("""
                    - fallback: {to: [ok], on: [\(on)]}
                    - route: \(model)
                """)
            return await PipelineFixture.run(program, PipelineFixture.request()).target?.label == "up/ok"
        }
        #expect(try await fallsBack("error", from: "fail-500"))
        #expect(try await fallsBack("error", from: "connect"))
        #expect(try await fallsBack("error", from: "fail-429"))
        #expect(try await fallsBack("error", from: "timeout"))
        #expect(try await !fallsBack("error", from: "fail-400"))
        #expect(try await !fallsBack("error", from: "context"))
        #expect(try await fallsBack("rate_limit", from: "fail-429"))
        #expect(try await !fallsBack("rate_limit", from: "fail-500"))
        #expect(try await fallsBack("timeout", from: "timeout"))
        #expect(try await fallsBack("timeout", from: "fail-408"))
        #expect(try await !fallsBack("timeout", from: "connect"))
        #expect(try await fallsBack("context_window", from: "context"))
        #expect(try await !fallsBack("context_window", from: "policy"))
        #expect(try await fallsBack("content_policy", from: "policy"))
        #expect(try await !fallsBack("content_policy", from: "fail-500"))
    }

    @Test func failureClassification() {
        func classify(_ status: Int, _ body: String = "", code: GatewayError.Code = .upstreamError) -> FailureClass {
            FailureClass(GatewayError(code, status: status, message: "m", upstreamBody: Array(body.utf8)))
        }
        #expect(classify(429) == .rateLimit)
        #expect(classify(503) == .server)
        #expect(classify(504) == .timeout)
        #expect(classify(502, code: .upstreamUnreachable) == .connect)
        #expect(classify(400, #"{"error":{"code":"context_length_exceeded"}}"#) == .contextWindow)
        #expect(classify(400, #"{"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#) == .contextWindow)
        #expect(classify(400, #"{"error":{"code":"content_filter"}}"#) == .contentPolicy)
        #expect(classify(400, #"{"error":{"message":"bad param"}}"#) == .client)
        #expect(classify(403, code: .rejected) == .policy)
    }

    @Test func fallbackChainTriesAlternativesInOrder() async throws {
        let program = try program("""
                - fallback: {to: [fail-503, timeout, ok2], on: [error]}
                - route: fail-500
            """)
        let adapter = ScriptedAdapter()
        let result = await PipelineFixture.run(program, PipelineFixture.request(), adapter: adapter)
        #expect(result.succeeded)
        #expect(result.attempts == 4)
        #expect(adapter.labels == ["up/fail-500", "up/fail-503", "up/timeout", "up/ok"])
        #expect(result.decisions.filter { $0.hasPrefix("fallback:") }.count == 3)
    }

    @Test func retryWrapsFallbackLikeMiddleware() async throws {
        // Retry(Fallback(Route)): each retry runs the route and then its fallback again.
        let program = try program("""
                - retry: {attempts: 2, backoff: {base: 1ms}}
                - fallback: {to: [flaky-1]}
                - route: fail-503
            """)
        let adapter = ScriptedAdapter()
        let result = await PipelineFixture.run(program, PipelineFixture.request(), adapter: adapter)
        #expect(result.succeeded)
        #expect(adapter.labels == ["up/fail-503", "up/flaky-1", "up/fail-503", "up/flaky-1"])
        #expect(result.attempts == 4)
    }

    @Test func aStreamThatFailsBeforeItsFirstByteIsRetried() async throws {
        let program = try program("""
                - retry: {attempts: 2, backoff: {base: 1ms}}
                - fallback: {to: [stream-ok]}
                - route-requested
            """)
        let adapter = ScriptedAdapter()
        let result = await PipelineFixture.run(program, PipelineFixture.request(model: "stream-dies", extra: [("stream", true)]), adapter: adapter)
        guard case .success(let reply) = result.outcome else { Issue.record("expected the fallback's stream"); return }
        #expect(adapter.labels == ["up/stream-dies", "up/stream-ok"])
        let (text, error) = await PipelineFixture.collect(reply)
        #expect(error == nil)
        #expect(text == "data: one\n\ndata: [DONE]\n\n")
    }

    @Test func aStreamThatFailsAfterItsFirstByteIsNotRetried() async throws {
        let program = try program("""
                - retry: {attempts: 3, backoff: {base: 1ms}}
                - route-requested
            """)
        let adapter = ScriptedAdapter()
        let result = await PipelineFixture.run(program, PipelineFixture.request(model: "stream-breaks", extra: [("stream", true)]), adapter: adapter)
        guard case .success(let reply) = result.outcome else { Issue.record("expected a stream"); return }
        let (text, error) = await PipelineFixture.collect(reply)
        // The first byte reached the client: the failure surfaces as a broken stream (the front
        // end turns it into an error event), never as a silent retry or a clean end.
        #expect(text == "data: partial\n\n")
        #expect(error != nil)
        #expect(adapter.labels == ["up/stream-breaks"])
    }

    @Test func aFailedRequestReportsThePathOfItsLastAttempt() async throws {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - retry: {attempts: 4, backoff: {base: 1ms}}
                - split:
                    arms:
                      - {name: a, goto: left}
                      - {name: b, goto: right}
              left:
                - route: fail-500
              right:
                - route: fail-503
            """)
        for _ in 0..<10 {
            let result = await PipelineFixture.run(program, PipelineFixture.request())
            #expect(result.attempts == 4)
            #expect(result.path.count == 2)
            #expect(result.path.last == (result.arm == "a" ? "left" : "right"))
            #expect(result.error?.status == (result.arm == "a" ? 500 : 503))
        }
    }

    /// A model whose first target always fails: two failures cool it down for a minute.
    static let coolingPair = """
            providers: {up: {kind: mock}}
            models:
              pair:
                routing: priority
                allowed_fails: 2
                cooldown: 60s
                targets: [{provider: up, model: fail-503, order: 1}, {provider: up, model: ok, order: 2}]

            """

    @Test func aFailingTargetCoolsDown() async throws {
        let config = try ConfigLoader.load(yaml: Self.coolingPair, environment: [:])
        let program = try GatewayProgram(config: config)
        let adapter = ScriptedAdapter()
        for _ in 0..<4 { _ = await PipelineFixture.run(program, PipelineFixture.request(model: "pair"), adapter: adapter) }
        // Two failures of the first target cool it down; the next requests go to the second.
        #expect(adapter.labels == ["up/fail-503", "up/fail-503", "up/ok", "up/ok"])
    }

    @Test func aReloadKeepsCooldownsAndRateLimitBuckets() async throws {
        let yaml = Self.coolingPair + """
              ok: {provider: up, model: ok}
            pipelines:
              main:
                - limit: {rpm: 2, by: user}
                - route-requested
            """
        let old = try GatewayProgram(config: try ConfigLoader.load(yaml: yaml, environment: [:]))
        let adapter = ScriptedAdapter()
        for _ in 0..<2 { _ = await PipelineFixture.run(old, PipelineFixture.request(model: "pair", extra: [("user", "u1")]), adapter: adapter) }
        #expect(adapter.labels == ["up/fail-503", "up/fail-503"])
        // The same file compiled again, as a reload does, inheriting the old program's state.
        let reloaded = try GatewayProgram(config: try ConfigLoader.load(yaml: yaml, environment: [:]))
        reloaded.inheritState(from: old)
        let fresh = try GatewayProgram(config: try ConfigLoader.load(yaml: yaml, environment: [:]))
        let afterReload = await PipelineFixture.run(reloaded, PipelineFixture.request(model: "pair", extra: [("user", "u1")]), adapter: adapter)
        // The cooled-down first target stays cooled down, and u1 has used its 2 requests per minute.
        #expect(afterReload.error?.status == 429)
        let other = await PipelineFixture.run(reloaded, PipelineFixture.request(model: "pair", extra: [("user", "u2")]), adapter: adapter)
        #expect(other.error == nil)
        #expect(adapter.labels.last == "up/ok")
        // Without inheriting, the same program would have forgotten both.
        let forgetful = await PipelineFixture.run(fresh, PipelineFixture.request(model: "pair", extra: [("user", "u1")]), adapter: adapter)
        #expect(forgetful.error?.status == 503)
    }

    @Test func routingStrategies() async throws {
        let config = try ConfigLoader.load(yaml: """
            providers: {a: {kind: mock}, b: {kind: mock}}
            models:
              busy: {routing: least-busy, targets: [{provider: a, model: x}, {provider: b, model: y}]}
              fast: {routing: lowest-latency, targets: [{provider: a, model: x}, {provider: b, model: y}]}
              usage: {routing: usage-based, targets: [{provider: a, model: x, rpm: 10}, {provider: b, model: y, rpm: 1000}]}
            """, environment: [:])
        let program = try GatewayProgram(config: config)
        guard case .deployments(let busy) = program.models[0], case .deployments(let fast) = program.models[1],
            case .deployments(let usage) = program.models[2]
        else { Issue.record("expected deployments"); return }
        var generator = SystemRandomNumberGenerator()
        busy.stats[0].begin(tokens: 0)
        for _ in 0..<20 { #expect(busy.pickIndex(tokens: 0, using: &generator) == 1) }
        busy.stats[0].end(latency: nil)
        fast.stats[0].recordLatency(.milliseconds(500))
        fast.stats[1].recordLatency(.milliseconds(50))
        for _ in 0..<20 { #expect(fast.pickIndex(tokens: 0, using: &generator) == 1) }
        // Target a has 10 rpm; after 5 requests it has less headroom than b.
        for _ in 0..<5 { usage.stats[0].begin(tokens: 0); usage.stats[0].end(latency: nil) }
        for _ in 0..<20 { #expect(usage.pickIndex(tokens: 0, using: &generator) == 1) }
    }
}
