/// Words that, written just before a number, say what the number is ("SSN 123456789",
/// "Telefon 0301234567", "version 10.4.12.8", "Order 13812345678"). Detectors with a
/// ``Detector/ContextRule`` accept bare digits only after one of them, which is how a bare SSN
/// or national phone number is caught without flagging every 9- or 10-digit order number; a
/// detector with ``Detector/notAfter`` drops matches right after them (a version number is not
/// an address, an order number not a phone number).
///
/// Matching is case-insensitive (ASCII and Latin-1 letters, so `TÉLÉPHONE` matches
/// `téléphone`), a word matches at a word start (anywhere for CJK words) and as a prefix
/// (`telefon` matches `Telefonnummer`) unless ``wholeWords`` is set, and it must end within
/// ``reach`` bytes before the number with no digit, no line break and at most ``wordsBetween``
/// other words in between (`phone 0612, order 123456789` does not count).
struct ContextWords: Sendable {
    /// What the words announce.
    enum Topic: String, Sendable, Hashable {
        /// Words that announce a phone number or an SSN.
        case phone, ssn
        /// Words that say a dotted number is a version or a section (`version`, `see`).
        case version
        /// Words that say a number is an identifier of an order, invoice or document (`ref`).
        case reference
    }

    /// How far before the number the word may end, in bytes (room for "number is: ").
    static let reach = 32
    /// Words longer than this are not looked for further back than ``reach``.
    static let longestWord = 32
    /// Words allowed between the context word and the number ("phone number **is**", "call
    /// **me at**", "ring **til mig på**"); the check stops there, which keeps it short.
    let wordsBetween: Int
    /// Whether a word must end where a word ends (`ref` then matches `ref=` but not `refused`).
    let wholeWords: Bool

    /// The folded words back to back, grouped by first byte: `ranges[b]` indexes the `entries`
    /// (start, length in `bytes`) of the words starting with byte `b`. Flat storage keeps the
    /// per-window check free of reference counting; it runs for every long digit run.
    private let bytes: [UInt8]
    private let entries: [Range<Int>]
    private let ranges: [Range<Int>]
    /// The (first, second) byte pairs the words start with, as a 64K-bit set: most word starts
    /// (`the`, `to`, `check`) share a first byte with some word but not the second, and are
    /// rejected without comparing words.
    private let pairs: [UInt64]

    /// - Parameters:
    ///   - words: the words and phrases, any case.
    ///   - wordsBetween: other words allowed between the word and the number.
    ///   - wholeWords: match whole words only, not as prefixes.
    init(_ words: [String], wordsBetween: Int = 3, wholeWords: Bool = false) {
        self.wordsBetween = wordsBetween
        self.wholeWords = wholeWords
        let folded = Set(words.map { ContextWords.folded(Array($0.utf8)) }).filter { !$0.isEmpty }
            .sorted { $0.lexicographicallyPrecedes($1) }
        var bytes: [UInt8] = [], entries: [Range<Int>] = []
        var ranges = [Range<Int>](repeating: 0..<0, count: 256)
        var pairs = [UInt64](repeating: 0, count: 1024)
        for word in folded {
            let first = Int(word[0])
            if word.count == 1 {
                for index in (first * 4)..<(first * 4 + 4) { pairs[index] = ~0 }
            } else {
                pairs[first * 4 + Int(word[1] >> 6)] |= 1 << (word[1] & 63)
            }
            if ranges[first].isEmpty { ranges[first] = entries.count..<entries.count }
            entries.append(bytes.count..<(bytes.count + word.count))
            bytes += word
            ranges[first] = ranges[first].lowerBound..<entries.count
        }
        self.bytes = bytes
        self.entries = entries
        self.ranges = ranges
        self.pairs = pairs
    }

    /// Whether a word ends in the ``reach`` bytes before `start`, with no digit, no line break
    /// and at most ``wordsBetween`` other words between it and the number.
    func precede(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        guard let base = text.baseAddress, start <= text.count else { return false }
        let floor = max(0, start - ContextWords.reach - ContextWords.longestWord)
        var index = start
        var wordsPassed = 0
        // Walk back over the gap and the words before the number, trying each word start.
        while index > floor {
            index -= 1
            let byte = base[index]
            if (byte &- 0x30) < 10 || byte == 0x0A || byte == 0x0D { return false }
            // Chinese, Japanese and Korean words (3-byte UTF-8) may start anywhere: no spaces.
            let wordStart = ContextWords.isLetterByte(byte) && (index == 0 || !ContextWords.isLetterByte(base[index - 1]))
            guard wordStart || byte >= 0xE0 else { continue }
            let first = ContextWords.fold(byte, after: 0)
            let candidates = ranges[Int(first)]
            if !candidates.isEmpty, index + 1 >= start || startsPair(first, ContextWords.fold(base[index + 1], after: byte)),
               matchesAny(candidates, text, at: index, before: start) {
                return true
            }
            if wordStart {
                wordsPassed += 1
                if wordsPassed > wordsBetween { return false }
            }
        }
        return false
    }

    /// Whether some word starts with bytes `first`, `second` (folded).
    @inline(__always)
    private func startsPair(_ first: UInt8, _ second: UInt8) -> Bool {
        pairs[Int(first) * 4 + Int(second >> 6)] & (1 << (second & 63)) != 0
    }

    /// Whether one of the words `candidates` is written at `position` and ends in reach.
    private func matchesAny(
        _ candidates: Range<Int>, _ text: UnsafeBufferPointer<UInt8>, at position: Int, before end: Int
    ) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            candidates.contains { entry in
                let word = UnsafeBufferPointer(rebasing: bytes[entries[entry]])
                return position + word.count >= end - ContextWords.reach
                    && ContextWords.matches(word, text, at: position, before: end)
                    && !(wholeWords && position + word.count < text.count
                         && ContextWords.isLetterByte(text[position + word.count]))
            }
        }
    }

    /// Whether `word` (folded) is written at `position`, ending before `end`.
    private static func matches(
        _ word: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>, at position: Int, before end: Int
    ) -> Bool {
        guard position + word.count <= end else { return false }
        for offset in 0..<word.count {
            let previous = position + offset > 0 ? text[position + offset - 1] : 0
            if ContextWords.fold(text[position + offset], after: previous) != word[offset] { return false }
        }
        return true
    }

    /// ASCII letters and the bytes of multi-byte UTF-8 letters (`é`, `ó`).
    static func isLetterByte(_ byte: UInt8) -> Bool {
        (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte >= 0x80
    }

    /// Lower-cases ASCII letters and the Latin-1 capitals `À`–`Þ` (second byte after 0xC3).
    static func fold(_ byte: UInt8, after previous: UInt8) -> UInt8 {
        if byte >= 0x41 && byte <= 0x5A { return byte | 0x20 }
        if previous == 0xC3, byte >= 0x80, byte <= 0x9E, byte != 0x97 { return byte + 0x20 }
        return byte
    }

    static func folded(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var previous: UInt8 = 0
        for byte in bytes {
            result.append(fold(byte, after: previous))
            previous = byte
        }
        return result
    }
}
