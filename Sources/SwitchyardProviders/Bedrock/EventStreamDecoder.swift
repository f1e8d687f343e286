import NIOCore

/// Cuts an AWS event stream (`application/vnd.amazon.eventstream`) into messages as bytes
/// arrive. Each frame is
///
///     total length (u32) | headers length (u32) | prelude CRC32 | headers | payload | message CRC32
///
/// (big-endian). Both checksums are verified; a frame that fails either, or has impossible
/// lengths, is an error: the stream cannot be resynchronised after it. String-valued headers
/// (`:message-type`, `:event-type`, `:exception-type`, …) are kept; other header types are
/// skipped.
struct EventStreamDecoder: Sendable {
    struct Message: Sendable, Equatable {
        var headers: [String: String]
        var payload: [UInt8]
    }

    struct DecodeError: Error, Equatable {
        var reason: String
    }

    /// AWS caps a message at 16 MiB of payload plus 128 KiB of headers.
    static let maxMessageLength = 16 * 1024 * 1024 + 128 * 1024 + 16

    private var buffer: [UInt8] = []
    private var start = 0

    /// Takes one chunk; returns the messages it completed.
    mutating func feed(_ chunk: ByteBuffer) throws(DecodeError) -> [Message] {
        buffer.append(contentsOf: chunk.readableBytesView)
        var messages: [Message] = []
        while buffer.count - start >= 12 {
            let total = Int(Self.uint32(buffer, start))
            let headersLength = Int(Self.uint32(buffer, start + 4))
            guard CRC32.checksum(buffer[start..<start + 8]) == Self.uint32(buffer, start + 8) else {
                throw DecodeError(reason: "prelude checksum mismatch")
            }
            guard total >= 16, total <= Self.maxMessageLength, headersLength <= total - 16 else {
                throw DecodeError(reason: "invalid frame lengths (total \(total), headers \(headersLength))")
            }
            guard buffer.count - start >= total else { break }
            let end = start + total
            guard CRC32.checksum(buffer[start..<end - 4]) == Self.uint32(buffer, end - 4) else {
                throw DecodeError(reason: "message checksum mismatch")
            }
            let headers = try Self.headers(buffer[start + 12..<start + 12 + headersLength])
            messages.append(Message(headers: headers, payload: Array(buffer[start + 12 + headersLength..<end - 4])))
            start = end
        }
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeSubrange(..<start)
            start = 0
        }
        return messages
    }

    /// The stream ended: leftover bytes are a truncated frame.
    func finish() throws(DecodeError) {
        if buffer.count > start { throw DecodeError(reason: "the stream ended inside a frame (\(buffer.count - start) bytes left)") }
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static func headers(_ bytes: ArraySlice<UInt8>) throws(DecodeError) -> [String: String] {
        var headers: [String: String] = [:]
        var i = bytes.startIndex
        func need(_ count: Int) throws(DecodeError) {
            if bytes.endIndex - i < count { throw DecodeError(reason: "a header runs past the headers section") }
        }
        while i < bytes.endIndex {
            try need(1)
            let nameLength = Int(bytes[i])
            try need(2 + nameLength)
            let name = String(decoding: bytes[i + 1..<i + 1 + nameLength], as: UTF8.self)
            i += 1 + nameLength
            let type = bytes[i]
            i += 1
            switch type {
            case 0, 1: break  // true, false
            case 2: try need(1); i += 1
            case 3: try need(2); i += 2
            case 4: try need(4); i += 4
            case 5, 8: try need(8); i += 8  // long, timestamp
            case 9: try need(16); i += 16  // uuid
            case 6, 7:  // bytes, string
                try need(2)
                let length = Int(bytes[i]) << 8 | Int(bytes[i + 1])
                try need(2 + length)
                if type == 7 { headers[name] = String(decoding: bytes[i + 2..<i + 2 + length], as: UTF8.self) }
                i += 2 + length
            default:
                throw DecodeError(reason: "unknown header value type \(type)")
            }
        }
        return headers
    }
}
