import Foundation
import NIOCore
import Testing

@testable import SwitchyardProviders

/// The AWS event-stream decoder against frames built independently of it, with zlib's CRC32, and
/// parsed back by botocore (`scripts/gen_eventstream_fixtures.py` → `Fixtures/*.bin`).
@Suite("AWS event-stream decoder")
struct EventStreamDecoderTests {
    static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return Array(try! Data(contentsOf: url))
    }

    static let converseEvents = [
        "messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "contentBlockStart", "contentBlockDelta",
        "contentBlockDelta", "contentBlockStop", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata",
    ]

    static func decode(_ pieces: [ArraySlice<UInt8>]) throws -> [EventStreamDecoder.Message] {
        var decoder = EventStreamDecoder()
        var messages: [EventStreamDecoder.Message] = []
        for piece in pieces { messages += try decoder.feed(ByteBuffer(bytes: piece)) }
        try decoder.finish()
        return messages
    }

    @Test func crcIsZlibs() {
        #expect(CRC32.checksum(Array("123456789".utf8)[...]) == 0xCBF4_3926)
        #expect(CRC32.checksum([][...]) == 0)
    }

    @Test func decodesEventsHeadersAndPayloads() throws {
        let messages = try Self.decode([Self.fixture("converse_stream.bin")[...]])
        #expect(messages.map { $0.headers[":event-type"] } == Self.converseEvents)
        #expect(messages.allSatisfy { $0.headers[":message-type"] == "event" && $0.headers[":content-type"] == "application/json" })
        #expect(String(decoding: messages[1].payload, as: UTF8.self).contains(#""delta":{"text":"Let me "}"#))
        #expect(String(decoding: messages[12].payload, as: UTF8.self).contains(#""inputTokens":42"#))
    }

    @Test func skipsEveryOtherHeaderType() throws {
        let messages = try Self.decode([Self.fixture("all_header_types.bin")[...]])
        #expect(messages.count == 1)
        #expect(messages.first?.headers == [":message-type": "event", ":event-type": "messageStart"])
        #expect(messages.first?.payload == Array(#"{"role":"assistant"}"#.utf8))
    }

    @Test func splittingAtEveryOffsetGivesTheSameMessages() throws {
        for name in ["converse_stream.bin", "invoke_stream.bin"] {
            let bytes = Self.fixture(name)
            let whole = try Self.decode([bytes[...]])
            for offset in 0...bytes.count {
                #expect(try Self.decode([bytes[..<offset], bytes[offset...]]) == whole, "\(name) split at \(offset)")
            }
            #expect(try Self.decode(bytes.indices.map { bytes[$0...$0] }) == whole, "\(name) byte by byte")
        }
    }

    @Test func corruptChecksumsAreRejected() throws {
        let bytes = Self.fixture("converse_stream.bin")
        var lengthFlipped = bytes
        lengthFlipped[2] ^= 0x01
        #expect(throws: EventStreamDecoder.DecodeError(reason: "prelude checksum mismatch")) { try Self.decode([lengthFlipped[...]]) }
        var payloadFlipped = bytes
        payloadFlipped[100] ^= 0x20
        #expect(throws: EventStreamDecoder.DecodeError(reason: "message checksum mismatch")) { try Self.decode([payloadFlipped[...]]) }
        // A frame further on: the frames before it still come out first.
        var decoder = EventStreamDecoder()
        let first = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        var secondCorrupt = bytes
        secondCorrupt[first + 30] ^= 0xFF
        #expect(try decoder.feed(ByteBuffer(bytes: secondCorrupt[..<first])).count == 1)
        #expect(throws: EventStreamDecoder.DecodeError.self) { try decoder.feed(ByteBuffer(bytes: secondCorrupt[first...])) }
    }

    @Test func impossibleLengthsAreRejected() {
        #expect(throws: EventStreamDecoder.DecodeError.self) { try Self.decode([Self.fixture("impossible_length.bin")[...]]) }
    }

    @Test func truncatedStreamsAreRejected() throws {
        let bytes = Self.fixture("converse_stream.bin")
        for cut in [1, 5, 13, 40] {
            var decoder = EventStreamDecoder()
            let messages = try decoder.feed(ByteBuffer(bytes: bytes.dropLast(cut)))
            #expect(messages.count == 12)
            #expect(throws: EventStreamDecoder.DecodeError.self) { try decoder.finish() }
        }
    }
}
