import Testing

@testable import SwitchyardCore

@Suite("scrubbers: configuration errors")
struct ScrubberConfigTests {
    func diagnostics(_ scrubber: String) -> [String] {
        let yaml = """
            providers: {m: {kind: mock}}
            models: {e: {provider: m}}
            scrubbers:
              pii:
            \(scrubber)
            pipelines:
              main:
                - scrub: pii
                - route: e
            """
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "s.yaml", environment: [:])
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test func unknownDetectorGetsAHint() {
        let errors = diagnostics("    detect: [email, phnoe]")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("s.yaml:4:3: error: scrubbers.pii.detect:") == true)
        #expect(errors.first?.contains("phnoe") == true)
        #expect(errors.first?.contains("did you mean 'phone'?") == true)
    }

    @Test func invalidPatternReportsPCRE2sOffset() {
        let errors = diagnostics("    patterns: {employee_id: '\\bEMP-(\\d{6}\\b'}")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("scrubbers.pii.patterns.employee_id") == true)
        #expect(errors.first?.contains("at offset 14: missing closing parenthesis") == true)
    }

    @Test func patternThatMatchesEmptyIsRejected() {
        let errors = diagnostics("    patterns: {anything: 'x*'}")
        #expect(errors.first?.contains("empty string") == true)
    }

    @Test func unknownActionAndKeys() {
        #expect(diagnostics("    action: redcat").first?.contains("did you mean 'redact'?") == true)
        #expect(diagnostics("    detct: [email]").first?.contains("did you mean 'detect'?") == true)
        #expect(diagnostics("    action: hash").first?.contains("hash_secret") == true)
        #expect(diagnostics("    scope: [upstream]").first?.contains("unknown scope") == true)
    }

    @Test func contextSettings() {
        #expect(diagnostics("    context_languages: [en, de]\n    context_words: {phone: [handphone]}").isEmpty)
        let language = diagnostics("    context_languages: [en, klingon]")
        #expect(language.first?.contains("scrubbers.pii.context_languages") == true)
        #expect(language.first?.contains("klingon") == true)
        #expect(diagnostics("    context_words: {email: [mail]}").first?.contains("scrubbers.pii.context_words.email") == true)
    }

    @Test func undeclaredScrubberIsAnError() {
        let yaml = """
            providers: {m: {kind: mock}}
            models: {e: {provider: m}}
            scrubbers: {pii: {detect: [email]}}
            pipelines: {main: [{scrub: pi}, {route: e}]}
            """
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "s.yaml", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.contains { $0.message.contains("'pi'") && $0.hint?.contains("pii") == true })
        }
    }
}
