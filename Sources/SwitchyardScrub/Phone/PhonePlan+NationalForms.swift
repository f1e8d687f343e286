extension PhonePlan {
    /// Whether the 11 digits are a mobile number of China's plan: libphonenumber's CN `mobile`
    /// pattern `1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}` (metadata release 9.0,
    /// as in the `phonenumbers` 9.0.43 port; its rarer `1610…` and `1740[0-5]…` blocks are
    /// left out). The table holds the second and third digits.
    static func isChinaMobile(_ digits: PhoneDigits) -> Bool {
        digits.count == 11 && digits[0] == 1 && chinaMobileBlocks & (1 << UInt128(digits.value(1..<3))) != 0
    }

    private static let chinaMobileBlocks: UInt128 = {
        let blocks = Array(30...39) + [45, 47] + [50, 51, 52, 53, 55, 56, 57, 58, 59] + [62, 65, 66, 67]
            + [70, 71, 72, 73, 75, 76, 77, 78] + Array(80...89) + [90, 91, 92, 93, 95, 96, 97, 98, 99]
        return blocks.reduce(0) { $0 | (1 << UInt128($1)) }
    }()

    /// Whether a plan with 8-digit numbers and no trunk prefix (DK, NO, SG, HK) lets a number
    /// start with `first`.
    static func eightDigitPlansAllow(first: UInt8) -> Bool {
        eightDigitPlans.contains { $0.allows(first: first, count: 8) }
    }

    private static let eightDigitPlans = markets.filter { !$0.trunkZero && $0.lengths == 8...8 }
}
