import Foundation
import Testing

@testable import SwitchyardCore

/// Every compile error is reported at its line and column, with its YAML path and a hint.
@Suite("pipeline compile errors")
struct PipelineCompileErrorTests {
    static let header = """
        providers: {m: {kind: mock}}
        models:
          gpt-4o: {provider: m}
          claude: {provider: m}
        pipelines:

        """  // pipelines start on line 6

    func diagnostics(_ pipelines: String, extra: String = "") -> [String] {
        do {
            let config = try ConfigLoader.load(yaml: Self.header + pipelines + extra, file: "p.yaml", environment: [:])
            return config.warnings.map(\.description)
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func unknownStageWithHint() {
        let found = diagnostics("  main:\n    - rout: gpt-4o\n")
        #expect(found == ["p.yaml:7:7: error: pipelines.main[0].rout: unknown stage 'rout' (did you mean 'route'?)"])
    }

    @Test func unknownFieldAndOperator() {
        let found = diagnostics("""
              main:
                - match:
                    - when: {headr.x-team: a, tokens: {gtt: 5}}
                      route: gpt-4o
                    - else: route-requested

            """)
        #expect(found.contains("p.yaml:8:18: error: pipelines.main[0].match[0].when.headr.x-team: unknown field 'headr.x-team' (did you mean 'header.x-team'?)"))
        #expect(found.contains("p.yaml:8:44: error: pipelines.main[0].match[0].when.tokens.gtt: unknown operator 'gtt' (did you mean 'gt'?)"))
        #expect(found.count == 2)
    }

    @Test func undefinedPipelineAndModel() {
        let found = diagnostics("""
              main:
                - match:
                    - when: {model: a}
                      goto: reserch
                - route: claud

            """)
        #expect(found.contains("p.yaml:9:17: error: pipelines.main[0].match[0].goto: no pipeline named 'reserch' (declared: main)"))
        #expect(found.contains("p.yaml:10:14: error: pipelines.main[1].route: no model named 'claud' (did you mean 'claude'?)"))
    }

    @Test func undefinedScrubber() {
        let found = diagnostics("  main:\n    - scrub: pii\n    - route: gpt-4o\n")
        #expect(found == ["p.yaml:7:14: error: pipelines.main[0].scrub: scrubber 'pii' is not defined (declare it under 'scrubbers:')"])
    }

    @Test func declaredScrubberWithoutAnEngineDoesNotCompile() throws {
        let config = try ConfigLoader.load(
            yaml: Self.header + "  main:\n    - scrub: pii\n    - route: gpt-4o\nscrubbers:\n  pii: {detect: [email]}\n", file: "p.yaml", environment: [:])
        #expect(throws: ConfigError.self) { try GatewayProgram(config: config, scrubbers: nil) }
        do {
            _ = try GatewayProgram(config: config, scrubbers: nil)
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "p.yaml:7:14: error: pipelines.main[0].scrub: scrubber 'pii' cannot be built: this build has no scrubbing engine (a PII policy is never skipped silently; remove the stage or use a build with scrubbing)"
            ])
        }
    }

    @Test func gotoCycle() {
        let found = diagnostics("""
              main:
                - match:
                    - when: {model: a}
                      goto: a
                    - else: b
              a:
                - match:
                    - when: {user: x}
                      goto: b
                    - else: [{route: gpt-4o}]
              b:
                - match:
                    - when: {user: y}
                      goto: a
                    - else: [{route: gpt-4o}]

            """)
        #expect(found.contains { $0.hasPrefix("p.yaml:19:17: error: pipelines.b[0].match[0].goto: pipelines form a cycle: a → b → a") })
        #expect(found.count == 1)
    }

    @Test func fallbackCycleThroughAPipelineModel() {
        let looping = Self.header.replacingOccurrences(of: "  claude: {provider: m}\n", with: "  claude: {provider: m}\n  bot: {pipeline: main}\n")
            + "  main:\n    - fallback: {to: [bot]}\n    - route: gpt-4o\n"
        do {
            _ = try ConfigLoader.load(yaml: looping, file: "p.yaml", environment: [:])
            Issue.record("a fallback into its own pipeline must not compile")
        } catch {
            #expect(error.diagnostics.map(\.description).contains("p.yaml:8:23: error: pipelines.main[0].fallback.to[0]: pipelines form a cycle: main → main (a request could loop forever; break the cycle with a 'route')"))
        }
    }

    @Test func pathWithoutRouteOrReject() {
        let found = diagnostics("""
              main:
                - transform: {set: {temperature: 0}}
                - match:
                    - when: {model: gpt-4o}
                      route: gpt-4o

            """)
        #expect(found == [
            "p.yaml:6:3: error: pipelines.main: pipeline 'main' can end without a 'route' or 'reject' (end it with a 'route' (or '- route-requested'), or give every 'match' an 'else')"
        ])
    }

    @Test func retryAndFallbackWithNothingAfterThem() {
        let found = diagnostics("""
              main:
                - match:
                    - when: {model: gpt-4o}
                      then: [{route: gpt-4o}]
                    - else: [{fallback: {to: [claude]}}]
                - retry: 2

            """)
        #expect(found.contains("p.yaml:10:19: error: pipelines.main[0].match[1].else[0].fallback: 'fallback' has nothing after it to fall back from (put a 'route' after it)"))
        // The else branch falls through to the retry, which falls off the pipeline's end.
        #expect(found.contains { $0.hasPrefix("p.yaml:6:3: error: pipelines.main: pipeline 'main' can end without") })
        #expect(found.contains("p.yaml:11:7: error: pipelines.main[1].retry: 'retry' has nothing after it to retry (put the stages to retry, ending in a 'route', after it)"))
    }

    @Test func invalidRegexReportsPCRE2Offset() {
        let found = diagnostics("""
              main:
                - match:
                    - when: {content: {regex: 'refund(s'}}
                      route: gpt-4o
                    - else: route-requested

            """)
        #expect(found == [
            "p.yaml:8:35: error: pipelines.main[0].match[0].when.content.regex: invalid regex: missing closing parenthesis at offset 8 (PCRE2 stopped at byte 8 of the pattern)"
        ])
    }

    @Test func nonPositiveWeights() {
        let found = diagnostics("""
              main:
                - split:
                    by: user
                    arms:
                      - {name: a, weight: 0, route: gpt-4o}
                      - {name: b, weight: -5, route: claude}

            """)
        #expect(found.contains("p.yaml:10:31: error: pipelines.main[0].split.arms[0].weight: weight must be positive, found 0.0"))
        #expect(found.contains("p.yaml:11:31: error: pipelines.main[0].split.arms[1].weight: weight must be positive, found -5.0"))
    }

    @Test func unreachablePipelineIsAWarning() {
        let found = diagnostics("  main:\n    - route: gpt-4o\n  spare:\n    - route: claude\n")
        #expect(found == [
            "p.yaml:8:3: warning: pipelines.spare: pipeline 'spare' is unreachable (no request can enter it: reach it from 'main' with a 'goto', or name it in a model's 'pipeline:')"
        ])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = diagnostics("""
              main:
                - rout: gpt-4o
                - match:
                    - when: {modle: x}
                      goto: nowhere
                - limit: {rpm: 0}
                - fallback: {to: [nope], on: [eror]}
                - route: gpt-4o

            """)
        let errors = found.filter { $0.contains(": error: ") }
        #expect(errors.count == 6)
        #expect(errors.map { $0.split(separator: ":").prefix(3).joined(separator: ":") } == [
            "p.yaml:7:7", "p.yaml:9:18", "p.yaml:10:17", "p.yaml:11:20", "p.yaml:12:23", "p.yaml:12:35",
        ])
    }
}
