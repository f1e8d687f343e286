/// Up to 17 digits packed in one integer, with their count: the digits of a phone candidate
/// without heap allocation (the validator runs for every phone-shaped token in the text).
struct PhoneDigits {
    /// E.164 allows 15 digits; `00` or `011` in front makes 17–18.
    static let capacity = 18

    private var packed: UInt128 = 0
    private(set) var count = 0

    /// Appends a digit (0–9); digits past ``capacity`` are counted but not stored.
    mutating func append(_ digit: UInt8) {
        if count < PhoneDigits.capacity { packed |= UInt128(digit) << (4 * count) }
        count += 1
    }

    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> UInt8 { UInt8(truncatingIfNeeded: packed >> (4 * index)) & 0x0F }

    /// The digits in `range` read as a decimal number (`value(0..<2)` of 4420… is 44).
    func value(_ range: Range<Int>) -> Int {
        range.reduce(0) { $0 * 10 + Int(self[$1]) }
    }
}

/// The digit count of each group of a phone candidate, packed 4 bits per group.
struct GroupShape: Hashable {
    private var packed: UInt64 = 0
    private(set) var count = 0
    /// Digits in the first group.
    private(set) var first = 0
    /// The largest group, and the smallest after the first (`Int.max` with one group).
    private(set) var longest = 0
    private(set) var shortestAfterFirst = Int.max

    init() {}

    init(_ groups: [Int]) {
        for group in groups { append(group) }
    }

    mutating func append(_ digits: Int) {
        if count < 16 { packed |= UInt64(min(digits, 15)) << (4 * count) }
        if count == 0 { first = digits } else { shortestAfterFirst = min(shortestAfterFirst, digits) }
        longest = max(longest, digits)
        count += 1
    }
}
