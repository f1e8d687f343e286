import Testing
@testable import SwitchyardScrub

@Suite("Actions")
struct ActionTests {
    static let text = "mail jane@example.com, card 4111-1111-1111-1234 or 4111 1111 1111 1111, ssn 123-45-6789, ip 192.168.10.20"

    @Test("redact replaces values with their type label and counts them")
    func redact() throws {
        let outcome = try Scrubber(ScrubberSpec()).scrub(Self.text)
        #expect(outcome.output == "mail [EMAIL], card 4111-1111-1111-1234 or [CREDIT_CARD], ssn [US_SSN], ip [IP_ADDRESS]")
        #expect(outcome.detections.map(\.detector) == ["email", "credit_card", "us_ssn", "ipv4"])
        #expect(outcome.detections.allSatisfy { $0.count == 1 })
    }

    @Test("mask keeps a hint of each value but not the value")
    func mask() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .mask))
        let cases: [(String, String)] = [
            ("jane@example.com", "j***@e******.com"),
            ("4111-1111-1111-1111", "****-****-****-1111"),
            ("4111111111111111", "************1111"),
            ("123-45-6789", "***-**-6789"),
            ("+1 415 555 2671", "+* *** *** 2671"),
            ("DE89 3704 0044 0532 0130 00", "**** **** **** **** **30 00"),
            ("192.168.10.20", "192.168.*.*"),
            ("2001:db8::1", "2001:db8:*"),
            ("AKIAIOSFODNN7EXAMPLE", "AKIA****"),
            ("sk-proj-AbC123_dEf456-GhI789jKl012MnO", "sk-proj-****"),
            ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_****"),
        ]
        for (value, masked) in cases {
            #expect(try scrubber.scrub("x \(value) y").output == "x \(masked) y", "\(value)")
        }
        #expect(try scrubber.scrub("https://admin:hunter2@db.example.com").output == "https://a****:****@db.example.com")
    }

    @Test("hash gives short, stable, keyed digests")
    func hash() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .hash, hashSecret: "k1"))
        let other = try Scrubber(ScrubberSpec(action: .hash, hashSecret: "k2"))
        let first = try #require(try scrubber.scrub("a jane@example.com b jane@example.com c bob@example.com").output)
        let parts = first.split(separator: " ")
        #expect(parts[1] == parts[3])
        #expect(parts[1] != parts[5])
        #expect(parts[1].wholeMatch(of: /\[EMAIL:[0-9a-f]{8}\]/) != nil)
        #expect(try other.scrub("a jane@example.com").output != "a \(parts[1])")
        #expect(!first.contains("jane"))
        #expect {
            _ = try Scrubber(ScrubberSpec(action: .hash))
        } throws: { ($0 as? ScrubError)?.code == .missingHashSecret }
    }

    @Test("block returns a verdict naming the type, never the value")
    func block() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .redact, actions: ["credit_card": .block]))
        let outcome = try scrubber.scrub("pay with 4111 1111 1111 1111 please")
        let verdict = try #require(outcome.blockVerdict)
        #expect(verdict == BlockVerdict(detector: "credit_card", label: "CREDIT_CARD"))
        #expect(!"\(verdict)".contains("4111"))
        #expect(outcome.output == nil)
        // Other detectors keep the default action.
        #expect(try scrubber.scrub("mail jane@example.com").output == "mail [EMAIL]")
    }

    @Test("per-detector overrides accept aliases")
    func overridesByAlias() throws {
        let scrubber = try Scrubber(ScrubberSpec(detectors: ["EMAIL_ADDRESS", "visa"], action: .redact,
                                                 actions: ["EMAIL_ADDRESS": .mask]))
        #expect(try scrubber.scrub("jane@example.com 4111111111111111").output == "j***@e******.com [CREDIT_CARD]")
    }

    @Test("text without PII comes back unchanged")
    func unchanged() throws {
        let text = "Hello, version 1.2.3 shipped on 2024-05-01 with order #123456789."
        let outcome = try Scrubber(ScrubberSpec()).scrub(text)
        #expect(outcome == .scrubbed(text, detections: []))
        #expect(try Scrubber(ScrubberSpec()).scrub("") == .scrubbed("", detections: []))
    }

    @Test("a custom pattern that backtracks catastrophically fails closed with an error")
    func failClosed() throws {
        let scrubber = try Scrubber(ScrubberSpec(detectors: ["email"], patterns: ["evil": #"^(\w+\s?)+$"#]))
        let text = String(repeating: "aaaa ", count: 14) + "! jane@example.com"
        #expect {
            _ = try scrubber.scrub(text)
        } throws: { error in
            guard let error = error as? ScrubError else { return false }
            return error.code == .matchFailed && error.cause?.code == .matchLimitExceeded && !"\(error)".contains("jane")
        }
        var stream = scrubber.stream(direction: .request)
        #expect(throws: ScrubError.self) {
            _ = try stream.feed(text)
            _ = try stream.finish()
        }
    }

    @Test("one scrubber serves many tasks at once")
    func concurrentScrubbing() async throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .tokenize))
        let results = try await withThrowingTaskGroup(of: String?.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let session = ScrubSession()
                    var last: String?
                    for _ in 0..<200 {
                        last = try scrubber.scrub("user\(task)@example.com and 4111 1111 1111 1111", session: session).output
                    }
                    return last
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: "<EMAIL_1> and <CREDIT_CARD_1>", count: 8))
    }

    @Test("custom labels are placeholder-safe")
    func customLabels() throws {
        let scrubber = try Scrubber(ScrubberSpec(detectors: [], patterns: ["kundennr-ü": #"KD-\d{5}"#, "9lives": #"CAT-\d"#],
                                                 action: .tokenize))
        let session = ScrubSession()
        #expect(try scrubber.scrub("KD-12345 CAT-9", session: session).output == "<KUNDENNR___1> <X_9LIVES_1>")
        #expect(session.restore("<KUNDENNR___1> <X_9LIVES_1>") == "KD-12345 CAT-9")
    }

    @Test("bytes in, bytes out")
    func bytes() throws {
        let scrubber = try Scrubber(ScrubberSpec())
        let input = Array("to jane@example.com".utf8)
        let outcome = try input.withUnsafeBufferPointer { try scrubber.scrub(utf8: $0) }
        #expect(outcome.output == Array("to [EMAIL]".utf8))
    }
}

@Suite("Tokenize")
struct TokenizeTests {
    @Test("the same value gets the same placeholder; the response is restored")
    func roundTrip() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .tokenize, scope: [.request, .response]))
        let session = ScrubSession()
        let request = try scrubber.scrub("jane@example.com and bob@example.com; again jane@example.com, 4111111111111111",
                                         session: session)
        #expect(request.output == "<EMAIL_1> and <EMAIL_2>; again <EMAIL_1>, <CREDIT_CARD_1>")
        #expect(session.count == 3)
        let reply = "I wrote to <EMAIL_2> and <EMAIL_1>, charged <CREDIT_CARD_1>; <EMAIL_9> and EMAIL_1 stay."
        let restored = try scrubber.scrub(reply, direction: .response, session: session)
        #expect(restored.output == "I wrote to bob@example.com and jane@example.com, charged 4111111111111111; <EMAIL_9> and EMAIL_1 stay.")
        #expect(session.restore("<EMAIL_1>") == "jane@example.com")
    }

    @Test("sessions are independent")
    func independentSessions() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .tokenize))
        let a = ScrubSession(), b = ScrubSession()
        _ = try scrubber.scrub("jane@example.com", session: a)
        #expect(try scrubber.scrub("bob@example.com", session: b).output == "<EMAIL_1>")
        #expect(b.restore("<EMAIL_1>") == "bob@example.com")
        #expect(a.restore("<EMAIL_1>") == "jane@example.com")
    }

    @Test("responses are scrubbed by the non-tokenize detectors, and restored")
    func mixedResponse() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .redact, actions: ["email": .tokenize]))
        let session = ScrubSession()
        #expect(try scrubber.scrub("jane@example.com", session: session).output == "<EMAIL_1>")
        let reply = try scrubber.scrub("Sent to <EMAIL_1>; also ssn 123-45-6789 and new@example.com",
                                       direction: .response, session: session)
        #expect(reply.output == "Sent to jane@example.com; also ssn [US_SSN] and new@example.com")
    }
}
