import Testing
@testable import SwitchyardScrub

/// Feeds `chunks` to a fresh stream and returns the concatenated output, or nil when blocked.
func streamed(_ scrubber: Scrubber, _ chunks: [String], direction: ScrubDirection = .response,
              session: ScrubSession? = nil) throws -> String? {
    var stream = scrubber.stream(direction: direction, session: session)
    var output = ""
    for chunk in chunks {
        guard let text = try stream.feed(chunk).output else { return nil }
        output += text
    }
    guard let tail = try stream.finish().output else { return nil }
    return output + tail
}

@Suite("Streaming")
struct StreamingTests {
    static let texts = [
        "Reach me at jane.doe@example.com or +1 (415) 555-2671 tomorrow.",
        "Card 4111 1111 1111 1111, SSN 123-45-6789, IBAN DE89 3704 0044 0532 0130 00 — thanks!",
        "Server 192.168.10.20 and 2001:db8::42 use key AKIAIOSFODNN7EXAMPLE and sk-proj-AbC123_dEf456-GhI789jKl012MnO.",
        "Token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U at postgres://admin:s3cr3t@db.example.com/x",
        "Ünïcödé ☕ text with jane@example.com and 🎉 emoji, no split surrogates.",
        "Call 0044 20 7946 0958 or 591-856-1936x1478, Telefon: 4915112345678 ext. 12; SSN 123456789.",
        #"GET /u?email=jane%40example.com&x=1 {"to": "bob@example.org"} redis://:pa(ss)@cache.local"#,
    ]

    @Test("a value split at any offset is caught, and the output equals the one-shot scrub", arguments: texts)
    func everySplit(text: String) throws {
        let scrubber = try Scrubber(ScrubberSpec())
        let expected = try #require(try scrubber.scrub(text, direction: .response).output)
        let characters = Array(text)
        for split in 0...characters.count {
            let chunks = [String(characters[..<split]), String(characters[split...])]
            #expect(try streamed(scrubber, chunks) == expected, "split at \(split)")
        }
        // Three chunks, every pair of offsets (coarser grid to keep it fast).
        for first in stride(from: 0, through: characters.count, by: 3) {
            for second in stride(from: first, through: characters.count, by: 5) {
                let chunks = [String(characters[..<first]), String(characters[first..<second]), String(characters[second...])]
                #expect(try streamed(scrubber, chunks) == expected, "splits at \(first), \(second)")
            }
        }
        // One character at a time.
        #expect(try streamed(scrubber, characters.map { String($0) }) == expected)
    }

    @Test("only the tail that could still become a match is held back")
    func minimalHoldBack() throws {
        var stream = try Scrubber(ScrubberSpec()).stream()
        #expect(try stream.feed("Hello world, ").output == "Hello world, ")
        #expect(try stream.feed("my mail is ja").output == "my mail is ")
        #expect(try stream.feed("ne@exam").output == "")
        #expect(try stream.feed("ple.com and ").output == "[EMAIL] and ")
        #expect(try stream.feed("call 415 555").output == "call ")
        #expect(try stream.feed(" 2671 now").output == "[PHONE] ")
        #expect(try stream.finish().output == "now")
    }

    @Test("bytes split inside a UTF-8 sequence are never emitted half")
    func utf8Split() throws {
        var stream = try Scrubber(ScrubberSpec()).stream()
        let bytes = Array("café ☕ ok ".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            let chunk = try #require(try stream.feed(utf8: [byte]).output)
            #expect(String(validating: output + chunk, as: UTF8.self) != nil)
            output += chunk
        }
        output += try #require(try stream.finishUTF8().output)
        #expect(output == bytes)
    }

    @Test("a block action ends the stream with a verdict")
    func blockInStream() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .block))
        var stream = scrubber.stream()
        #expect(try stream.feed("the number is 4111 1111 ").output == "the number is ")
        #expect(try stream.feed("1111 1111 ok").blockVerdict?.label == "CREDIT_CARD")
        #expect(try stream.feed("more").blockVerdict != nil)
        #expect(try stream.finish().blockVerdict != nil)
    }

    @Test("tokenized placeholders split across chunks are restored", arguments: [1, 2, 3, 5, 7])
    func restoreSplitPlaceholders(chunkSize: Int) throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .tokenize, scope: [.request, .response]))
        let session = ScrubSession()
        let request = try scrubber.scrub("Email jane@example.com and bob@example.com, card 4111111111111111.", session: session)
        #expect(request.output == "Email <EMAIL_1> and <EMAIL_2>, card <CREDIT_CARD_1>.")
        let reply = "Done: <EMAIL_2>, <EMAIL_1> <3, charged <CREDIT_CARD_1>. Not <EMAIL_7> or <EMAIL_ or <>."
        let characters = Array(reply)
        let chunks = stride(from: 0, to: characters.count, by: chunkSize).map {
            String(characters[$0..<min($0 + chunkSize, characters.count)])
        }
        let restored = try streamed(scrubber, chunks, session: session)
        #expect(restored == "Done: bob@example.com, jane@example.com <3, charged 4111111111111111. Not <EMAIL_7> or <EMAIL_ or <>.")
    }

    @Test("restoring at every split offset")
    func restoreEverySplit() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .tokenize))
        let session = ScrubSession()
        _ = try scrubber.scrub("jane@example.com", session: session)
        let reply = Array("Hi <EMAIL_1>!")
        for split in 0...reply.count {
            let chunks = [String(reply[..<split]), String(reply[split...])]
            #expect(try streamed(scrubber, chunks, session: session) == "Hi jane@example.com!", "split at \(split)")
        }
    }
}
