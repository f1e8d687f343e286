import Testing
@testable import SwitchyardScrub

@Suite("Context words")
struct ContextWordTests {
    @Test("a bare nine-digit SSN is found after SSN or social security number only")
    func bareSSN() throws {
        #expect(try redact("SSN 123456789", with: "us_ssn") == "SSN [US_SSN]")
        #expect(try redact("my social security number: 078051120.", with: "us_ssn") == "my social security number: [US_SSN].")
        #expect(try redact(#"{"ssn": "123456789"}"#, with: "us_ssn") == #"{"ssn": "[US_SSN]"}"#)
        #expect(try redact("invoice 123456789", with: "us_ssn") == "invoice 123456789")
        #expect(try redact("SSN 000123456", with: "us_ssn") == "SSN 000123456")
        #expect(try redact("SSN 1234567890", with: "us_ssn") == "SSN 1234567890")
    }

    @Test("languages and extra words are configurable")
    func configuration() throws {
        let english = try Scrubber(ScrubberSpec(detectors: ["phone"], contextLanguages: ["en"]))
        #expect(try english.scrub("Handy 4915112345678").output == "Handy 4915112345678")
        #expect(try english.scrub("phone 4155552671").output == "phone [PHONE]")
        #expect(try Scrubber(ScrubberSpec(detectors: ["phone"])).scrub("Handy 4915112345678").output == "Handy [PHONE]")
        let extra = try Scrubber(ScrubberSpec(detectors: ["phone"], contextWords: ["PHONE_NUMBER": ["handphone"]]))
        #expect(try extra.scrub("handphone 812345678").output == "handphone [PHONE]")
        // One-letter words and words whose second byte is a folded Latin-1 capital.
        let custom = try Scrubber(ScrubberSpec(detectors: ["phone"], contextLanguages: [],
                                               contextWords: ["phone": ["t", "élèves"]]))
        #expect(try custom.scrub("t 4155552671").output == "t [PHONE]")
        #expect(try custom.scrub("ÉLÈVES: 4155552671").output == "ÉLÈVES: [PHONE]")
        #expect(try custom.scrub("order 4155552671").output == "order 4155552671")
        let none = try Scrubber(ScrubberSpec(detectors: ["phone"], contextLanguages: []))
        #expect(try none.scrub("phone 4155552671").output == "phone 4155552671")
    }

    @Test("an unknown language or a detector without context words is a configuration error")
    func errors() {
        #expect {
            _ = try Scrubber(ScrubberSpec(contextLanguages: ["xx"]))
        } throws: { ($0 as? ScrubError)?.code == .invalidContext }
        #expect {
            _ = try Scrubber(ScrubberSpec(contextWords: ["email": ["mail"]]))
        } throws: { ($0 as? ScrubError)?.code == .invalidContext }
    }
}
