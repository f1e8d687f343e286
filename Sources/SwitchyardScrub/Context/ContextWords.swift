/// Words that, written just before a number, say what the number is ("SSN 123456789",
/// "Telefon 0301234567"). Detectors with a ``Detector/ContextRule`` accept bare digits only
/// after one of them, which is how a bare SSN or national phone number is caught without
/// flagging every 9- or 10-digit order number.
///
/// Matching is case-insensitive (ASCII and Latin-1 letters, so `TÉLÉPHONE` matches
/// `téléphone`), a word matches at a word start (anywhere for CJK words) and as a prefix
/// (`telefon` matches `Telefonnummer`), and it must end within ``reach`` bytes before the number with no digit or
/// line break in between (`phone 0612, order 123456789` does not count).
struct ContextWords: Sendable {
    /// What the words announce.
    enum Topic: String, Sendable, Hashable {
        case phone, ssn
    }

    /// How far before the number the word may end, in bytes (room for "number is: ").
    static let reach = 32
    /// Words longer than this are not looked for further back than ``reach``.
    static let longestWord = 32

    /// Words by their first byte (lower-cased), for a cheap lookup.
    private let byFirstByte: [[[UInt8]]]

    /// - Parameter words: the words and phrases, any case.
    init(_ words: [String]) {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for word in Set(words.map { ContextWords.folded(Array($0.utf8)) }) where !word.isEmpty {
            table[Int(word[0])].append(word)
        }
        byFirstByte = table
    }

    /// Whether a word ends in the ``reach`` bytes before `start` (no digit or newline between).
    func precede(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let floor = max(0, start - ContextWords.reach - ContextWords.longestWord)
        var index = start
        // Walk back over the gap and the words before the number, trying each word start.
        while index > floor {
            index -= 1
            let byte = text[index]
            if (byte >= 0x30 && byte <= 0x39) || byte == 0x0A || byte == 0x0D { return false }
            // Chinese, Japanese and Korean words (3-byte UTF-8) may start anywhere: no spaces.
            let isLetter = ContextWords.isLetterByte(byte)
            let atWordStart = byte >= 0xE0 || isLetter && (index == 0 || !ContextWords.isLetterByte(text[index - 1]))
            guard atWordStart else { continue }
            for word in byFirstByte[Int(ContextWords.fold(byte, after: 0))]
            where index + word.count >= start - ContextWords.reach && matches(word, text, at: index, before: start) {
                return true
            }
        }
        return false
    }

    /// Whether `word` (folded) is written at `position`, ending before `end`.
    private func matches(_ word: [UInt8], _ text: UnsafeBufferPointer<UInt8>, at position: Int, before end: Int) -> Bool {
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
