import CPCRE2
import Testing

@Suite("PCRE2 system library")
struct PCRE2SmokeTests {
    @Test func compilesAndMatchesThroughThe8BitAPI() throws {
        let pattern = Array(#"\b[\w.]+@[\w.]+\.\w+\b"#.utf8)
        var errorCode: Int32 = 0
        var errorOffset = 0
        let code = try #require(pcre2_compile_8(pattern, pattern.count, 0, &errorCode, &errorOffset, nil))
        defer { pcre2_code_free_8(code) }
        let matchData = try #require(pcre2_match_data_create_from_pattern_8(code, nil))
        defer { pcre2_match_data_free_8(matchData) }
        let subject = Array("write to jane@example.com today".utf8)
        let rc = pcre2_match_8(code, subject, subject.count, 0, 0, matchData, nil)
        #expect(rc == 1)
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        #expect(String(decoding: subject[Int(ovector[0])..<Int(ovector[1])], as: UTF8.self) == "jane@example.com")
    }
}
