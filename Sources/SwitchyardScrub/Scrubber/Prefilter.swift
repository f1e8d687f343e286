/// The cheap byte scan that decides where each detector's regex runs.
///
/// Running eleven regexes over every byte would cost eleven scans; instead one pass over the
/// text classifies bytes with a table and opens a *window* only where a detector could match:
/// around `@` (e-mail, URL credentials), around digit clusters (phone, card, SSN, IPv4), at
/// `XX00` (IBAN), around `:` next to hex (IPv6), and at literal prefixes at word starts (keys,
/// JWTs). Each regex then runs only inside its windows, with the whole text before the window
/// visible to its lookbehinds. Custom patterns run over the whole text (PCRE2's own start
/// optimizations apply). The same scan notes whether the text holds an escape worth decoding
/// (``DecodedText``), so text without one pays nothing for decoding.
struct Prefilter: Sendable {
    /// Byte flags, per byte value.
    static let digit: UInt8 = 1, at: UInt8 = 2, colon: UInt8 = 4, prefixAnchor: UInt8 = 8, escape: UInt8 = 16

    /// A literal prefix, found through its *anchor*: its first byte that is not a lower-case
    /// letter (`-` of `sk-`, `J` of `eyJ`). Flagging rare bytes instead of `s` or `e` keeps
    /// the scan loop from stopping at every common letter.
    struct PrefixEntry: Sendable {
        let prefix: [UInt8]
        let anchor: Int
        let detectors: [Int]
    }

    struct DigitRule: Sendable {
        let detector: Int
        let minDigits: Int
        let minDots: Int
    }

    let table: [UInt8]
    let atDetectors: [Int]
    let digitRules: [DigitRule]
    let minClusterDigits: Int
    let ibanDetectors: [Int]
    let colonDetectors: [Int]
    /// Prefix entries, grouped by anchor byte.
    let prefixEntries: [PrefixEntry]
    /// For each byte value, the range of ``prefixEntries`` anchored on it.
    let prefixRanges: [Range<Int>]
    let anywhereDetectors: [Int]

    init(_ detectors: [Detector]) {
        var table = [UInt8](repeating: 0, count: 256)
        var at: [Int] = [], digits: [DigitRule] = [], iban: [Int] = [], colon: [Int] = []
        var anywhere: [Int] = []
        var byPrefix: [[UInt8]: [Int]] = [:]
        for (index, detector) in detectors.enumerated() {
            for trigger in detector.triggers {
                switch trigger {
                case .at: at.append(index)
                case .digits(let minDigits, let minDots):
                    digits.append(DigitRule(detector: index, minDigits: minDigits, minDots: minDots))
                case .ibanStart: iban.append(index)
                case .colon: colon.append(index)
                case .prefixes(let list):
                    for prefix in list { byPrefix[Array(prefix.utf8), default: []].append(index) }
                case .anywhere: anywhere.append(index)
                }
            }
        }
        if !digits.isEmpty || !iban.isEmpty {
            for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] |= Prefilter.digit }
        }
        if !at.isEmpty { table[Int(UInt8(ascii: "@"))] |= Prefilter.at }
        if !colon.isEmpty { table[Int(UInt8(ascii: ":"))] |= Prefilter.colon }
        for byte in [UInt8(ascii: "%"), UInt8(ascii: "\\"), UInt8(ascii: "&")] { table[Int(byte)] |= Prefilter.escape }
        var entries: [PrefixEntry] = []
        var ranges = [Range<Int>](repeating: 0..<0, count: 256)
        let anchored = byPrefix.map { prefix, owners in
            PrefixEntry(prefix: prefix, anchor: prefix.firstIndex { !(0x61...0x7A).contains($0) } ?? 0,
                        detectors: owners)
        }.sorted { a, b in
            let (left, right) = (a.prefix[a.anchor], b.prefix[b.anchor])
            return left != right ? left < right : a.prefix.lexicographicallyPrecedes(b.prefix)
        }
        for entry in anchored {
            let byte = Int(entry.prefix[entry.anchor])
            table[byte] |= Prefilter.prefixAnchor
            if ranges[byte].isEmpty { ranges[byte] = entries.count..<entries.count }
            entries.append(entry)
            ranges[byte] = ranges[byte].lowerBound..<entries.count
        }
        self.table = table
        self.atDetectors = at
        self.digitRules = digits
        self.minClusterDigits = digits.map(\.minDigits).min() ?? .max
        self.ibanDetectors = iban
        self.colonDetectors = colon
        self.prefixEntries = entries
        self.prefixRanges = ranges
        self.anywhereDetectors = anywhere
    }

    /// Where to run which detectors.
    struct Window {
        enum Kind { case at, digits(count: Int, dots: Int), iban, colon, prefix(entry: Int) }
        let kind: Kind
        /// First offset a match may start at (the regex search starts here).
        let start: Int
        /// Matches must start before this offset.
        var coreEnd: Int
        /// The regex sees the text up to here (so lookaheads see real bytes).
        var subjectEnd: Int
    }

    /// One pass over `text`, returning windows in ascending order per kind; sets `hasEscapes`
    /// when the text holds an escape ``DecodedText`` decodes (`%40`, `\u0040`, `&#64;`).
    func windows(in text: UnsafeBufferPointer<UInt8>, hasEscapes: inout Bool) -> [Window] {
        var windows: [Window] = []
        let count = text.count
        var lastAt = -1, lastColon = -1
        table.withUnsafeBufferPointer { table in
            var index = 0
            while index < count {
                let byte = text[index]
                let flags = table[Int(byte)]
                if flags == 0 { index += 1; continue }
                if flags & Prefilter.digit != 0 {
                    index = digitCluster(in: text, at: index, into: &windows)
                    continue
                }
                if flags & Prefilter.escape != 0 {
                    if !hasEscapes, DecodedText.escape(in: text, at: index) != nil { hasEscapes = true }
                    index += 1
                    continue
                }
                if flags & Prefilter.at != 0 {
                    // Back over any non-space: URL credentials may hold quotes or parentheses.
                    let start = scanBack(text, from: index, limit: 512, while: { $0 > 0x20 && $0 != 0x7F })
                    let end = scanForward(text, from: index + 1, limit: 512, while: isTokenByte)
                    let window = Window(kind: .at, start: start, coreEnd: index + 1,
                                        subjectEnd: min(count, end + 1))
                    if lastAt >= 0, start < windows[lastAt].subjectEnd {
                        windows[lastAt].coreEnd = window.coreEnd
                        windows[lastAt].subjectEnd = max(windows[lastAt].subjectEnd, window.subjectEnd)
                    } else {
                        lastAt = windows.count
                        windows.append(window)
                    }
                } else if flags & Prefilter.colon != 0 {
                    if index + 1 < count, isHex(text[index + 1]) || text[index + 1] == UInt8(ascii: ":"),
                       lastColon < 0 || index >= windows[lastColon].coreEnd {
                        let start = scanBack(text, from: index, limit: 48, while: isAddressByte)
                        let end = scanForward(text, from: index + 1, limit: 48, while: isAddressByte)
                        let subjectEnd = min(count, scanForward(text, from: end, limit: 64, while: isTokenByte) + 1)
                        lastColon = windows.count
                        windows.append(Window(kind: .colon, start: start, coreEnd: end, subjectEnd: subjectEnd))
                    }
                }
                if flags & Prefilter.prefixAnchor != 0 {
                    for entry in prefixRanges[Int(byte)] {
                        let start = index - prefixEntries[entry].anchor
                        guard start >= 0, start == 0 || !isWordByte(text[start - 1]),
                              hasPrefix(text, at: start, prefixEntries[entry].prefix) else { continue }
                        let end = scanForward(text, from: index, limit: 16_384 + 512, while: isTokenByte)
                        windows.append(Window(kind: .prefix(entry: entry), start: start,
                                              coreEnd: start + 1, subjectEnd: min(count, end + 1)))
                    }
                }
                index += 1
            }
        }
        return windows
    }

    /// Scans the digit cluster starting at `start`: digits joined by at most two of ` -.()/`.
    /// Returns the offset after it.
    private func digitCluster(in text: UnsafeBufferPointer<UInt8>, at start: Int, into windows: inout [Window]) -> Int {
        let count = text.count
        var index = start
        var digits = 0, dots = 0
        var lastDigitEnd = start
        while index < count {
            let byte = text[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                index += 1
                lastDigitEnd = index
            } else if index - lastDigitEnd < 2, isDigitSeparator(byte) {
                if byte == UInt8(ascii: ".") { dots += 1 }
                index += 1
            } else {
                break
            }
        }
        // IBAN: two capitals right before the first digit, at a word start.
        if !ibanDetectors.isEmpty, start >= 2, isUpper(text[start - 1]), isUpper(text[start - 2]),
           start == 2 || !isWordByte(text[start - 3]) {
            let end = scanForward(text, from: start, limit: 64, while: isIBANByte)
            windows.append(Window(kind: .iban, start: start - 2, coreEnd: start - 1,
                                  subjectEnd: min(count, end + 1)))
        }
        if digits >= minClusterDigits, !digitRules.isEmpty {
            var windowStart = start
            if windowStart > 0, text[windowStart - 1] == UInt8(ascii: "(") || text[windowStart - 1] == UInt8(ascii: "+") {
                windowStart -= 1
                if windowStart > 0, text[windowStart - 1] == UInt8(ascii: "+") { windowStart -= 1 }
            }
            var end = scanForward(text, from: lastDigitEnd, limit: 64, while: isTokenByte) + 1
            // A phone extension after a space (` ext. 12`, ` x12`, ` #12`) is part of the match.
            if end < count, text[end - 1] == 0x20, [UInt8(ascii: "e"), UInt8(ascii: "x"), UInt8(ascii: "#")].contains(text[end] | 0x20) {
                end = lastDigitEnd + 16
            }
            windows.append(Window(kind: .digits(count: digits, dots: dots), start: windowStart,
                                  coreEnd: lastDigitEnd, subjectEnd: min(count, end)))
        }
        return lastDigitEnd
    }
}

// MARK: - Byte classes

@inline(__always) func isDigitSeparator(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x28 || byte == 0x29 || byte == 0x2F
}

@inline(__always) func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }

@inline(__always) func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
}

@inline(__always) func isHex(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66)
}

@inline(__always) func isAddressByte(_ byte: UInt8) -> Bool {
    isHex(byte) || byte == 0x3A || byte == 0x2E
}

@inline(__always) func isIBANByte(_ byte: UInt8) -> Bool {
    isWordByte(byte) || byte == 0x20
}

/// Bytes that can be part of an e-mail address, URL or key: anything printable except
/// whitespace, quotes and brackets.
@inline(__always) func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0...0x20, 0x22, 0x27, 0x3C, 0x3E, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2C, 0x3B, 0x60, 0x7F:
        false
    default:
        true
    }
}

@inline(__always) func scanBack(
    _ text: UnsafeBufferPointer<UInt8>, from index: Int, limit: Int, while accept: (UInt8) -> Bool
) -> Int {
    var start = index
    let floor = max(0, index - limit)
    while start > floor, accept(text[start - 1]) { start -= 1 }
    return start
}

@inline(__always) func scanForward(
    _ text: UnsafeBufferPointer<UInt8>, from index: Int, limit: Int, while accept: (UInt8) -> Bool
) -> Int {
    var end = index
    let ceiling = min(text.count, index + limit)
    while end < ceiling, accept(text[end]) { end += 1 }
    return end
}

@inline(__always) func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, at index: Int, _ prefix: [UInt8]) -> Bool {
    guard index + prefix.count <= text.count else { return false }
    for offset in 0..<prefix.count where text[index + offset] != prefix[offset] { return false }
    return true
}
