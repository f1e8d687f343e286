import Testing
@testable import SwitchyardScrub

@Suite("PCRERegex")
struct PCRERegexTests {
    @Test("a compile error carries PCRE2's message and the byte offset")
    func compileError() {
        #expect {
            _ = try PCRERegex("ab(c")
        } throws: { error in
            guard let error = error as? PCRERegexError else { return false }
            return error.code == .compileFailed && error.offset == 4
                && error.message.contains("missing closing parenthesis")
        }
        #expect {
            _ = try PCRERegex("x{2,1}")
        } throws: { ($0 as? PCRERegexError)?.offset == 5 }
    }

    @Test("patterns that can match the empty string are rejected", arguments: ["a*", #"\b"#, "(?=x)", "x?|y", "()"])
    func emptyMatchRejected(pattern: String) {
        #expect {
            _ = try PCRERegex(pattern)
        } throws: { ($0 as? PCRERegexError)?.code == .matchesEmpty }
    }

    @Test("catastrophic backtracking stops with a thrown error")
    func backtrackingBound() throws {
        let regex = try PCRERegex(#"^(\w+\s?)+$"#, matchLimit: 100_000)
        let evil = Array((String(repeating: "aaaa ", count: 12) + "!").utf8)
        #expect {
            _ = try regex.matches(in: evil)
        } throws: { ($0 as? PCRERegexError)?.code == .matchLimitExceeded }
        // The same regex still matches benign input.
        #expect(try regex.matches(in: Array("hello world".utf8)) == [0..<11])
    }

    @Test("all matches are reported as byte ranges")
    func byteRanges() throws {
        let regex = try PCRERegex(#"\d+"#)
        #expect(try regex.matches(in: Array("a1 22 333".utf8)) == [1..<2, 3..<5, 6..<9])
        let word = try PCRERegex("é+", options: [.utf])
        #expect(try word.matches(in: Array("café éé".utf8)) == [3..<5, 6..<10])
        #expect(try regex.isMatch(in: "no digits here") == false)
    }

    @Test("invalid UTF-8 in a subject does not throw in UTF mode")
    func invalidUTF8() throws {
        let regex = try PCRERegex(#"ab"#, options: [.utf])
        #expect(try regex.matches(in: [0x61, 0x62, 0xFF, 0xC3, 0x61, 0x62]) == [0..<2, 4..<6])
    }

    @Test("JIT is used when available")
    func jit() throws {
        let regex = try PCRERegex(#"\d{3}"#)
        #expect(regex.usesJIT == PCRERegex.isJITAvailable)
    }

    @Test("(?C1) runs the Luhn validator inside a custom pattern")
    func calloutValidator() throws {
        let regex = try PCRERegex(#"\b\d{16}\b(?C1)"#)
        #expect(try regex.matches(in: Array("4111111111111111 4111111111111112".utf8)) == [0..<16])
    }

    @Test("one regex is safe to use from many tasks at once")
    func concurrentUse() async throws {
        let regex = try PCRERegex(#"[a-z]+@[a-z]+\.com"#)
        let text = Array(String(repeating: "mail bob@example.com and amy@test.com; ", count: 200).utf8)
        let expected = try regex.matches(in: text)
        #expect(expected.count == 400)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<50 where (try? regex.matches(in: text)) != expected { return false }
                    return true
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
