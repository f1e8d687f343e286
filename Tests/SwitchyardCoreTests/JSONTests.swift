import Testing

@testable import SwitchyardCore

@Suite("JSON parser and writer")
struct JSONTests {
    @Test func roundTripKeepsOrderAndNumberSpelling() throws {
        let text = #"{"b":1,"a":[true,false,null,-0.5e+10,2.50],"c":{"d":"x\"y\\z\n\u00e9\ud83d\ude00"}}"#
        let value = try JSONParser.parse(text)
        #expect(JSONWriter.string(value) == #"{"b":1,"a":[true,false,null,-0.5e+10,2.50],"c":{"d":"x\"y\\z\né😀"}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
    }

    @Test(arguments: ["", "{", "{\"a\"}", "[1,]", "01", "1.", "\"abc", "{\"a\":1} x", "tru", "\"\u{01}\"", "-", "{1:2}", "[\"\\q\"]"])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func errorsCarryTheByteOffset() {
        do {
            _ = try JSONParser.parse(#"{"a": [1, 2,, 3]}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 12)
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func writerEscapesControlCharacters() {
        #expect(JSONWriter.string(.string("a\u{01}b\tc\"")) == #""a\u0001b\tc\"""#)
    }

    @Test func recordsTopLevelValueRanges() throws {
        let bytes = Array(#"{"model" : "gpt-4o", "n":[1, 2]}"#.utf8)
        let (_, ranges) = try bytes.withUnsafeBufferPointer { try JSONParser.parseRecordingFields($0) }
        #expect(ranges.map { String(decoding: bytes[$0], as: UTF8.self) } == [#""gpt-4o""#, "[1, 2]"])
    }
}
