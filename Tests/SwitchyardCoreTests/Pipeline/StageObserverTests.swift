import Logging
import Synchronization
import Testing

@testable import SwitchyardCore

/// `CallContext.stages`: the engine reports the stages that do work, strictly nested, with how
/// each ended (what the server's trace spans are made from).
@Suite("stage observer")
struct StageObserverTests {
    final class Recorder: StageObserver {
        private let log = Mutex<(events: [String], open: [ObservedStage])>(([], []))
        var events: [String] { log.withLock { $0.events } }
        var openCount: Int { log.withLock { $0.open.count } }

        func began(_ stage: ObservedStage) {
            log.withLock {
                $0.open.append(stage)
                $0.events.append("begin \(stage)")
            }
        }

        func ended(_ error: GatewayError?, replacements: Int) {
            log.withLock {
                let stage = $0.open.popLast().map { "\($0)" } ?? "nothing open"
                $0.events.append("end \(stage) " + (error.map { "failed \($0.status)" } ?? "ok") + (replacements > 0 ? " replaced \(replacements)" : ""))
            }
        }
    }

    func run(_ pipelines: String, model: String, content: String = "hello") async throws -> (ExecutionResult, Recorder) {
        let program = try PipelineFixture.program(pipelines, scrubbers: PIIScrubberFactory())
        let recorder = Recorder()
        var context = CallContext(requestID: "t", logger: Logger(label: "t"), sleep: { _ in })
        context.stages = recorder
        let result = await program.execute(PipelineFixture.request(model: model, content: content), context: context, upstream: ScriptedAdapter())
        return (result, recorder)
    }

    @Test func retryAttemptsAndFallbackHopsNest() async throws {
        let (result, recorder) = try await run("""
            pipelines:
              main:
                - retry: {attempts: 2, backoff: {base: 1ms}}
                - fallback: {to: [ok], on: [error]}
                - route-requested

            """, model: "flaky-1")
        #expect(result.succeeded)
        #expect(recorder.events == [
            "begin retryAttempt(1, of: 2)",
            "begin fallbackHop(0, model: nil)",
            "end fallbackHop(0, model: nil) failed 503",
            "begin fallbackHop(1, model: Optional(\"ok\"))",
            "end fallbackHop(1, model: Optional(\"ok\")) ok",
            "end retryAttempt(1, of: 2) ok",
        ])
    }

    @Test func everyStageEndsWhenTheRequestFails() async throws {
        let (result, recorder) = try await run("""
            pipelines:
              main:
                - retry: {attempts: 2, backoff: {base: 1ms}}
                - route-requested

            """, model: "fail-503")
        #expect(result.error?.status == 503)
        #expect(recorder.events == [
            "begin retryAttempt(1, of: 2)", "end retryAttempt(1, of: 2) failed 503",
            "begin retryAttempt(2, of: 2)", "end retryAttempt(2, of: 2) failed 503",
        ])
        #expect(recorder.openCount == 0)
    }

    @Test func scrubReportsHowManyValuesItReplaced() async throws {
        let (result, recorder) = try await run("""
            scrubbers:
              pii: {detect: [email], action: redact}
            pipelines:
              main:
                - scrub: pii
                - route-requested

            """, model: "ok", content: "write to jane@example.com and joe@example.org")
        #expect(result.succeeded)
        #expect(recorder.events == ["begin scrub(\"pii\")", "end scrub(\"pii\") ok replaced 2"])
    }
}
