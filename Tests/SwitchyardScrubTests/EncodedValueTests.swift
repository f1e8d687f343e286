import Testing
@testable import SwitchyardScrub

@Suite("Encoded values, credentials and whole-value replacement")
struct EncodedValueTests {
    @Test("percent-, JSON- and HTML-encoded values are replaced with their encoded form")
    func decoding() throws {
        let scrubber = try Scrubber(ScrubberSpec())
        #expect(try scrubber.scrub("GET /users?email=jane%40example.com&page=2").output == "GET /users?email=[EMAIL]&page=2")
        #expect(try scrubber.scrub(#"{"to": "jane\u0040example.com"}"#).output == #"{"to": "[EMAIL]"}"#)
        #expect(try scrubber.scrub("<a>jane&#64;example&#x2E;com</a>").output == "<a>[EMAIL]</a>")
        #expect(try scrubber.scrub("mail jane&commat;example&period;com").output == "mail [EMAIL]")
        #expect(try scrubber.scrub("card=4111%201111%201111%201111").output == "card=[CREDIT_CARD]")
        let masked = try Scrubber(ScrubberSpec(detectors: ["email"], action: .mask))
        #expect(try masked.scrub("?email=jane%40example.com").output == "?email=" + String(repeating: "*", count: 18))
        let plain = "100% sure, R&D &amp; %zz \\u12"
        #expect(try scrubber.scrub(plain).output == plain)
    }

    @Test("URL credentials: any scheme, any password characters up to the @, empty user")
    func credentials() throws {
        let scrubber = try Scrubber(ScrubberSpec())
        #expect(try scrubber.scrub("use scheme://user:pa(ss)@host.example now").output == "use scheme://[URL_CREDENTIALS]@host.example now")
        #expect(try scrubber.scrub("redis://:password@cache.local:6379").output == "redis://[URL_CREDENTIALS]@cache.local:6379")
        #expect(try scrubber.scrub("amqp://bob:p@ss#w0rd!@mq.example.com/v").output == "amqp://[URL_CREDENTIALS]@mq.example.com/v")
        #expect(try scrubber.scrub("https://example.com/a@b").output == "https://example.com/a@b")
    }

    @Test("overlapping detections are replaced as one union; an apostrophe does not split an address")
    func union() throws {
        #expect(try redact("write to jane.o'neil@example.com", with: "email") == "write to [EMAIL]")
        let scrubber = try Scrubber(ScrubberSpec(detectors: ["us_ssn"], patterns: ["tail": #"45-6789 [A-Z]{2}"#]))
        #expect(try scrubber.scrub("id 123-45-6789 AB ok").output == "id [US_SSN] ok")
    }

    @Test("Luhn-valid numbers that no card network issues are not cards")
    func issuerRanges() throws {
        for body in ["41234567890123456", "12345678901234567", "30123456789012345"] {
            let reference = body + String(Corpus.luhnCheckDigit(body))
            #expect(try redact("ref \(reference) ok", with: "credit_card") == "ref \(reference) ok")
        }
        let visa = "411111111111111" + String(Corpus.luhnCheckDigit("411111111111111"))
        #expect(try redact("card \(visa) ok", with: "credit_card") == "card [CREDIT_CARD] ok")
        #expect(try redact("tracking 4885 5310 3335 7407 4291 16", with: "credit_card") == "tracking 4885 5310 3335 7407 4291 16")
    }
}
