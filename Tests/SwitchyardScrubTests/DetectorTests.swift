import Testing
@testable import SwitchyardScrub

/// Scrubs with only `detector`, redacting.
func redact(_ text: String, with detector: String) throws -> String {
    let scrubber = try Scrubber(ScrubberSpec(detectors: [detector]))
    return try scrubber.scrub(text).output ?? "<blocked>"
}

@Suite("Detectors")
struct DetectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let detector: String
        let found: [String]
        let ignored: [String]
        var testDescription: String { detector }
    }

    static let cases: [Case] = [
        Case(detector: "email",
             found: ["jane@example.com", "j.doe+tag@mail.example.co.uk", "X_Y-9@sub-domain.io"],
             ignored: ["@handle", "user@localhost", "a@b", "version 1.2@3", "name@example.c"]),
        Case(detector: "phone",
             found: ["+1 415 555 2671", "+14155552671", "(415) 555-2671", "415-555-2671", "415.555.2671",
                     "1-800-555-0199", "+44 20 7946 0958", "020 7946 0958", "+49 30 1234567", "06 12 34 56 78",
                     "+33 6 12 34 56 78"],
             ignored: ["2024-05-01", "12:30:45", "order 123456789", "v1.2.3", "555-1234", "1234 5678",
                       "ISBN 978-3-16-148410-0", "+1 555"]),
        Case(detector: "credit_card",
             found: ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004",
                     "378282246310005", "3782 822463 10005", "6011111111111117", "2223003122003222"],
             ignored: ["4111111111111112", "1234567890123456", "4111 1111 1111 1112", "4111-1111 1111-1111",
                       "0000000000000000", "41111111111111111111111"]),
        Case(detector: "us_ssn",
             found: ["123-45-6789", "123 45 6789", "078-05-1120"],
             ignored: ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000",
                       "123-45 6789", "123456789", "2024-05-01"]),
        Case(detector: "iban",
             found: ["DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82WEST12345698765432",
                     "GB82 WEST 1234 5698 7654 32", "FR1420041010050500013M02606", "NL91ABNA0417164300"],
             ignored: ["DE89370400440532013001", "XX89370400440532013000", "DE8937040044053201300",
                       "GB82 WEST 1234 5698 765432", "AB12 CDEF"]),
        Case(detector: "ipv4",
             found: ["192.168.1.10", "10.0.0.1", "8.8.8.8", "255.255.255.255"],
             ignored: ["256.1.1.1", "1.2.3", "10.0.19041.1", "192.168.01.1", "v1.2.3.4", "1.2.3.4.5"]),
        Case(detector: "ipv6",
             found: ["2001:db8::1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1ff:fe23:4567:890a",
                     "::1", "::ffff:192.168.1.1", "64:ff9b::10.0.0.1", "FE80::1"],
             ignored: ["12:30:45", "std::vector", "f :: Int", "00:1A:2B:3C:4D:5E", "a:b"]),
        Case(detector: "aws_access_key",
             found: ["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A"],
             ignored: ["AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "akiaiosfodnn7example"]),
        Case(detector: "aws_secret_key",
             found: ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
             ignored: ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "secret_key = short"]),
        Case(detector: "api_key",
             found: ["sk-abcdefghijklmnopqrstuvwxyz012345", "sk-proj-AbC123_dEf456-GhI789jKl012MnO",
                     "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                     "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789ABCDEF",
                     "xoxb-1234567890-0987654321-abcdefghij", "AIzaSyA1234567890abcdefghijklmnopqrstuv",
                     "sk_live_abcdefghijklmnop1234"],
             ignored: ["sk-short", "task-abcdefghijklmnopqrstuvwxyz", "ghp_short", "AIzaShort", "risk-assessment-document-for-q3"]),
        Case(detector: "jwt",
             found: ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
             ignored: ["eyJhbGciOiJIUzI1NiJ9", "eyJ.eyJ.abc"]),
        Case(detector: "url_credentials",
             found: ["admin:s3cr3t"],
             ignored: ["https://example.com/a@b", "mailto:jane"]),
    ]

    @Test("each detector finds its values and ignores look-alikes", arguments: cases)
    func detector(_ testCase: Case) throws {
        let label = try #require(Detector.named(testCase.detector)).label
        for value in testCase.found {
            let text = testCase.detector == "url_credentials"
                ? "connect to postgres://\(value)@db.example.com:5432/app now"
                : "before \(value) after"
            let expected = testCase.detector == "url_credentials"
                ? "connect to postgres://[\(label)]@db.example.com:5432/app now"
                : testCase.detector == "aws_secret_key"
                    ? "before aws_secret_access_key = [\(label)] after"
                    : "before [\(label)] after"
            #expect(try redact(text, with: testCase.detector) == expected, "\(value)")
        }
        for value in testCase.ignored {
            let text = "before \(value) after"
            #expect(try redact(text, with: testCase.detector) == text, "\(value)")
        }
    }

    @Test("values at the very start and end of the text and next to punctuation")
    func boundaries() throws {
        #expect(try redact("jane@example.com", with: "email") == "[EMAIL]")
        #expect(try redact("(jane@example.com).", with: "email") == "([EMAIL]).")
        #expect(try redact("<jane@example.com>,bob@test.org;", with: "email") == "<[EMAIL]>,[EMAIL];")
        #expect(try redact("card:4111111111111111.", with: "credit_card") == "card:[CREDIT_CARD].")
        #expect(try redact("ip=10.0.0.1,", with: "ipv4") == "ip=[IP_ADDRESS],")
        #expect(try redact("[2001:db8::1]:8080", with: "ipv6") == "[[IP_ADDRESS]]:8080")
        #expect(try redact("\"AKIAIOSFODNN7EXAMPLE\"", with: "aws_access_key") == "\"[AWS_ACCESS_KEY]\"")
        #expect(try redact(#"{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}"#, with: "aws_secret_key")
                == #"{"SecretAccessKey": "[AWS_SECRET_KEY]"}"#)
        #expect(try redact("naïve café jane@example.com ☕", with: "email") == "naïve café [EMAIL] ☕")
    }

    @Test("LiteLLM and Presidio names resolve to detectors")
    func aliases() {
        let expected: [String: String] = [
            "us_ssn": "us_ssn", "email": "email", "phone": "phone", "visa": "credit_card",
            "mastercard": "credit_card", "amex": "credit_card", "aws_access_key": "aws_access_key",
            "aws_secret_key": "aws_secret_key", "github_token": "api_key", "EMAIL_ADDRESS": "email",
            "PHONE_NUMBER": "phone", "CREDIT_CARD": "credit_card", "US_SSN": "us_ssn",
            "IBAN_CODE": "iban", "IP_ADDRESS": "ip_address",
        ]
        for (alias, name) in expected {
            #expect(Detector.named(alias)?.name == name, "\(alias)")
        }
        #expect(Detector.named("emial") == nil)
        #expect(Detector.allNames.contains("EMAIL_ADDRESS"))
        #expect(Detector.suggestions(for: "emial").first == "email")
        #expect(Detector.suggestions(for: "credit-card").contains("credit_card"))
    }

    @Test("a dotted quad right after a version word is a version number, not an address")
    func versions() throws {
        #expect(try redact("upgrade to version 10.4.12.8 today", with: "ipv4") == "upgrade to version 10.4.12.8 today")
        #expect(try redact("Build: 10.4.12.8", with: "ipv4") == "Build: 10.4.12.8")
        #expect(try redact("release=2.0.1.7", with: "ipv4") == "release=2.0.1.7")
        #expect(try redact("Versionsnummer 10.4.12.8", with: "ipv4") == "Versionsnummer 10.4.12.8")
        #expect(try redact("版本 10.4.12.8", with: "ipv4") == "版本 10.4.12.8")
        #expect(try redact("version 10.4.12.8", with: "IP_ADDRESS") == "version 10.4.12.8")
        // Only the word right before counts: "build server" names a host.
        #expect(try redact("build server 10.4.12.8", with: "ipv4") == "build server [IP_ADDRESS]")
        let scrubber = try Scrubber(ScrubberSpec(detectors: ["ipv4"]))
        #expect(try streamed(scrubber, ["running vers", "ion 10.4.", "12.8 and 10.4.12.9"])
                == "running version 10.4.12.8 and [IP_ADDRESS]")
        // The words follow `context_languages`: with none, every dotted quad is an address.
        let noWords = try Scrubber(ScrubberSpec(detectors: ["ipv4"], contextLanguages: []))
        #expect(try noWords.scrub("version 10.4.12.8").output == "version [IP_ADDRESS]")
    }

    @Test("a dotted quad cited as a section or named as a reference is no address")
    func citations() throws {
        #expect(try redact("see 10.4.12.8 for details", with: "ipv4") == "see 10.4.12.8 for details")
        #expect(try redact("Vedi 10.4.12.8 per i dettagli.", with: "ipv4") == "Vedi 10.4.12.8 per i dettagli.")
        #expect(try redact("ref=10.4.12.8 status=200", with: "ipv4") == "ref=10.4.12.8 status=200")
        #expect(try redact(#"{"ref": "10.4.12.8"}"#, with: "ipv4") == #"{"ref": "10.4.12.8"}"#)
        #expect(try redact("La référence 10.4.12.8 figure", with: "ipv4") == "La référence 10.4.12.8 figure")
        // Whole words only: `refused` is not `ref`, `Ziel` ("target") not `zie`, `seen` not `see`.
        #expect(try redact("connection refused 10.4.12.8", with: "ipv4") == "connection refused [IP_ADDRESS]")
        #expect(try redact("Ziel 10.4.12.8", with: "ipv4") == "Ziel [IP_ADDRESS]")
        #expect(try redact("seen 10.4.12.8", with: "ipv4") == "seen [IP_ADDRESS]")
        // Without a word before it a dotted quad is an address.
        #expect(try redact("It says 10.4.12.8 at the top.", with: "ipv4") == "It says [IP_ADDRESS] at the top.")
    }

    @Test("0.0.0.0/8 is no host's address")
    func thisNetwork() throws {
        #expect(try redact("listen on 0.0.0.0:8080", with: "ipv4") == "listen on 0.0.0.0:8080")
        #expect(try redact("route 0.4.12.8 and 1.4.12.8", with: "ipv4") == "route 0.4.12.8 and [IP_ADDRESS]")
    }

    @Test("IP_ADDRESS finds both IPv4 and IPv6")
    func ipAddress() throws {
        #expect(try redact("a 10.1.2.3 b 2001:db8::7 c", with: "IP_ADDRESS") == "a [IP_ADDRESS] b [IP_ADDRESS] c")
    }

    @Test("an unknown detector name fails to compile with a hint")
    func unknownDetector() {
        #expect {
            _ = try Scrubber(ScrubberSpec(detectors: ["email", "credit_crad"]))
        } throws: { error in
            guard let error = error as? ScrubError else { return false }
            return error.code == .unknownDetector && error.detector == "credit_crad"
                && error.suggestions.first == "credit_card" && "\(error)".contains("did you mean `credit_card`")
        }
        #expect {
            _ = try Scrubber(ScrubberSpec(detectors: ["email"], actions: ["phone": .block]))
        } throws: { ($0 as? ScrubError)?.code == .unknownDetector }
    }

    @Test("custom patterns get an upper-cased label; bad ones report PCRE2's offset")
    func customPatterns() throws {
        let scrubber = try Scrubber(ScrubberSpec(detectors: [], patterns: ["employee_id": #"\bEMP-\d{6}\b"#]))
        let outcome = try scrubber.scrub("ask EMP-123456 or EMP-12345")
        #expect(outcome.output == "ask [EMPLOYEE_ID] or EMP-12345")
        #expect(outcome.detections == [Detection(detector: "employee_id", label: "EMPLOYEE_ID", count: 1)])
        #expect {
            _ = try Scrubber(ScrubberSpec(patterns: ["bad": "EMP-(\\d+"]))
        } throws: { error in
            guard let error = error as? ScrubError else { return false }
            return error.code == .invalidPattern && error.cause?.offset == 8 && error.detector == "bad"
        }
        #expect {
            _ = try Scrubber(ScrubberSpec(patterns: ["loose": "\\d*"]))
        } throws: { ($0 as? ScrubError)?.cause?.code == .matchesEmpty }
    }

    @Test("overlapping matches: the earliest, longest one wins")
    func overlaps() throws {
        let scrubber = try Scrubber(ScrubberSpec())
        // The password part of URL credentials also looks like an e-mail's local part.
        #expect(try scrubber.scrub("https://bob:pw@example.com/x").output == "https://[URL_CREDENTIALS]@example.com/x")
        // An IPv4-mapped IPv6 address is one IPv6 value, not an IPv6 prefix plus an IPv4 one.
        #expect(try scrubber.scrub("at ::ffff:10.0.0.1 now").output == "at [IP_ADDRESS] now")
    }
}
