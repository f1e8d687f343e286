/// Text with its escapes decoded, and where each decoded byte came from.
///
/// Values are often written encoded: `?email=jane%40example.com` in a URL, `jane\u0040example.com`
/// in JSON, `jane&#64;example.com` in HTML. The scrubber matches the decoded text too and maps
/// each match back to the original bytes, so the replacement covers the encoded form whole.
///
/// Decoded: `%XX` (two hex digits), `\uXXXX` (a JSON escape; surrogates stay as written),
/// `&#NN;`, `&#xHH;` and the entities `&amp; &lt; &gt; &quot; &apos; &commat; &period;`.
struct DecodedText {
    /// The decoded bytes.
    private(set) var bytes: [UInt8] = []
    /// For each decoded byte, the original range it came from (an escape's bytes share one).
    private var starts: [Int] = []
    private var ends: [Int] = []

    /// Decodes `text`; `nil` when it holds no escape.
    init?(decoding text: UnsafeBufferPointer<UInt8>) {
        guard text.indices.contains(where: { DecodedText.escape(in: text, at: $0) != nil }) else { return nil }
        bytes.reserveCapacity(text.count)
        starts.reserveCapacity(text.count)
        ends.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if let (scalar, length) = DecodedText.escape(in: text, at: index) {
                for byte in String(Character(scalar)).utf8 {
                    bytes.append(byte)
                    starts.append(index)
                    ends.append(index + length)
                }
                index += length
            } else {
                bytes.append(text[index])
                starts.append(index)
                ends.append(index + 1)
                index += 1
            }
        }
    }

    /// The original byte range of decoded range `range` (non-empty).
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        starts[range.lowerBound]..<ends[range.upperBound - 1]
    }

    /// The original offset of decoded offset `offset` (the end of the text maps to its end).
    func originalOffset(_ offset: Int) -> Int {
        offset < starts.count ? starts[offset] : (ends.last ?? 0)
    }

    /// The first decoded byte at or after original offset `offset`.
    func decodedOffset(of offset: Int) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The escape starting at `index`: the character it stands for and its length in bytes.
    static func escape(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        switch text[index] {
        case UInt8(ascii: "%"):
            guard index + 2 < text.count, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]),
                  high < 8 else { return nil }
            return (Unicode.Scalar(high << 4 | low), 3)
        case UInt8(ascii: "\\"):
            guard index + 5 < text.count, text[index + 1] == UInt8(ascii: "u") else { return nil }
            var value: UInt32 = 0
            for offset in 2...5 {
                guard let digit = hexValue(text[index + offset]) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return Unicode.Scalar(value).map { ($0, 6) }
        case UInt8(ascii: "&"):
            return entity(in: text, at: index)
        default:
            return nil
        }
    }

    /// Where an escape that the next bytes could still complete starts (`%4`, `\u00`, `&#6`),
    /// at or after `start`: a stream holds it back.
    static func incompleteEscape(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = text.count
        while index > max(start, text.count - 10) {
            index -= 1
            let rest = UnsafeBufferPointer(rebasing: text[(index + 1)...])
            switch text[index] {
            case UInt8(ascii: "%"):
                return rest.count < 2 && rest.allSatisfy { hexValue($0) != nil } ? index : nil
            case UInt8(ascii: "\\"):
                guard rest.count < 5, rest.first.map({ $0 == UInt8(ascii: "u") }) ?? true else { return nil }
                return rest.dropFirst().allSatisfy { hexValue($0) != nil } ? index : nil
            case UInt8(ascii: "&"):
                return rest.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: "#") } ? index : nil
            default:
                continue
            }
        }
        return nil
    }

    private static let entities: [(name: [UInt8], scalar: Unicode.Scalar)] = [
        ("amp", "&"), ("lt", "<"), ("gt", ">"), ("quot", "\""), ("apos", "'"), ("commat", "@"), ("period", "."),
    ].map { (Array($0.0.utf8), $0.1) }

    /// `&#64;`, `&#x40;` or a named entity, up to its `;`.
    private static func entity(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        var end = index + 1
        while end < text.count, end - index <= 9, text[end] != UInt8(ascii: ";") { end += 1 }
        guard end < text.count, text[end] == UInt8(ascii: ";"), end > index + 1 else { return nil }
        let body = Array(UnsafeBufferPointer(rebasing: text[(index + 1)..<end]))
        if body[0] == UInt8(ascii: "#") {
            let hex = body.count > 1 && body[1] | 0x20 == UInt8(ascii: "x")
            let digits = body.dropFirst(hex ? 2 : 1)
            guard !digits.isEmpty, digits.count <= 6 else { return nil }
            var value: UInt32 = 0
            for byte in digits {
                guard let digit = hex ? hexValue(byte) : (byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : nil) else { return nil }
                value = value * (hex ? 16 : 10) + UInt32(digit)
            }
            return Unicode.Scalar(value).map { ($0, end + 1 - index) }
        }
        return entities.first { $0.name == body }.map { ($0.scalar, end + 1 - index) }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
