/// A phone-shaped token (`+44 (0)20 7946 0958`, `(0185) 764763`, `591-856-1936`) read into
/// digits and digit groups, and checked against the numbering plans.
///
/// The phone pattern only finds tokens of digit groups, separators, parentheses and an optional
/// `+`; everything that decides whether the token is a phone number lives here, in the callout,
/// where the plan data is.
struct PhoneCandidate {
    /// Digit values (0–9), without a `(0)` trunk marker.
    private(set) var digits = PhoneDigits()
    /// Digits per group; groups are split by separators and parentheses.
    private(set) var groups = GroupShape()
    /// Whether the token starts with `+`.
    private(set) var plus = false
    /// Whether the first group is in parentheses (`(0185) 764763`, `(351) 920 717 297`).
    private(set) var firstGroupInParentheses = false
    /// Separators between groups: dots, and all others (spaces, dashes, slashes, parentheses).
    private(set) var dots = 0
    private(set) var otherSeparators = 0

    init(_ text: UnsafeBufferPointer<UInt8>) {
        var run = 0
        var openedFirst = false
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte - 0x30)
                run += 1
            } else {
                // `+44 (0)20 …`: the `(0)` is the national trunk prefix, not part of the number.
                if byte == UInt8(ascii: "("), index + 2 < text.count, text[index + 1] == 0x30,
                   text[index + 2] == UInt8(ascii: ")") {
                    index += 3
                    if run > 0 { groups.append(run) }
                    run = 0
                    continue
                }
                if byte == UInt8(ascii: "+"), digits.isEmpty { plus = true }
                if byte == UInt8(ascii: "("), digits.isEmpty { openedFirst = true }
                if byte == UInt8(ascii: ")"), openedFirst, groups.count == 0, run > 0 {
                    firstGroupInParentheses = true
                }
                if !digits.isEmpty, byte != UInt8(ascii: "+") {
                    if byte == UInt8(ascii: ".") { dots += 1 } else { otherSeparators += 1 }
                }
                if run > 0 { groups.append(run) }
                run = 0
            }
            index += 1
        }
        if run > 0 { groups.append(run) }
    }

    /// Whether the token is a phone number some plan allows.
    /// - Parameter inContext: a context word (`phone`, `Telefon`) precedes the token, so bare
    ///   digits and short national numbers are accepted too.
    func isValid(inContext: Bool) -> Bool {
        guard digits.count >= 7, digits.count <= PhoneDigits.capacity else { return false }
        // One `.` and nothing else is a decimal number (`48.8566123`), unless a context word
        // says otherwise (`call 5232.0723`).
        if dots == 1 && otherSeparators == 0 && !plus && !inContext { return false }
        // Four dotted groups of 1–3 digits are an IPv4 address (or a version), never a phone;
        // with a `+` in front they are a number (`+61.412.395.881`).
        if dots == 3 && otherSeparators == 0 && groups.count == 4 && groups.longest <= 3 && !plus { return false }
        // After a context word an international number only has to fit E.164 (an assigned
        // code, 6–14 more digits): a mistyped or truncated number still gives most of it away.
        if plus { return PhoneCandidate.isInternational(digits, from: 0, planned: !inContext) }
        // `00` / `011` (the exit codes of most countries and of North America) count only as
        // the first digits of the first group; a bare `00` run needs a context word or
        // ``isBareInternational``.
        let separated = groups.count > 1 || inContext
        if groups.first >= 2, digits[0] == 0, digits[1] == 0 {
            if digits[2] != 0, separated || isBareInternational,
               PhoneCandidate.isInternational(digits, from: 2, planned: !inContext) {
                return true
            }
            // After a context word a `00` number that no country code explains is still a
            // phone number with a trunk `0` (`phone=00 71 68 01`, `Telefoon: (002) 3083956`):
            // mistyped or made up, it is written where the number goes.
            return inContext && isNationalInContext
        }
        if groups.first >= 3, digits[0] == 0, digits[1] == 1, digits[2] == 1, separated,
           PhoneCandidate.isInternational(digits, from: 3, planned: !inContext) {
            return true
        }
        // `(351) 920 717 297`: a country code in parentheses; after a context word also a bare
        // `351933534439` (how messaging apps write numbers). Without `+` or `00` the code is a
        // guess, so the plan always decides.
        if firstGroupInParentheses || inContext, digits[0] != 0, hasMarketCode(at: 0, maxLength: groups.first),
           PhoneCandidate.isInternational(digits, from: 0) {
            return true
        }
        return inContext ? isNationalInContext : isNational
    }

    /// Country code (1–3 digits, prefix-free) then a national significant number the country's
    /// plan allows (6–14 digits and 15 in all for codes without a detailed plan); a trunk `0`
    /// written after the country code (`+49 030 …`) is tolerated.
    /// - Parameter planned: check the NSN against the country's plan; `false` checks E.164's
    ///   general limits only, for every code.
    static func isInternational(_ digits: PhoneDigits, from start: Int, planned: Bool = true) -> Bool {
        let count = digits.count - start
        for length in 1...3 where count > length {
            let code = digits.value(start..<(start + length))
            guard PhonePlan.assignedCallingCodes.contains(code) else { continue }
            var nsnStart = start + length
            guard planned, let plan = PhonePlan.byCallingCode[code] else {
                return (6...14).contains(count - length) && count <= 15
            }
            if plan.trunkZero, digits[nsnStart] == 0 { nsnStart += 1 }
            return plan.allows(first: digits[nsnStart], count: digits.count - nsnStart)
        }
        return false
    }

    /// Whether the digits from `start` on begin with the calling code of one of the detailed
    /// plans, in at most `maxLength` digits.
    private func hasMarketCode(at start: Int, maxLength: Int = 3) -> Bool {
        (1...3).contains { length in
            length <= maxLength && PhonePlan.byCallingCode[digits.value(start..<(start + length))] != nil
        }
    }

    /// A bare `00…` run without a context word (`00441154960419`) is an international number
    /// when it is long enough for a full number (12+ digits), its calling code has a detailed
    /// plan, and it is not a GS1 trade item number: 12–14 digits whose last digit is their GS1
    /// check digit (`0026425170623` is the EAN-13 of a product) are left alone, as nine in ten
    /// phone numbers fail that check.
    private var isBareInternational: Bool {
        guard digits.count >= 12 else { return false }
        if digits.count <= 14, PhoneCandidate.hasGS1CheckDigit(digits) { return false }
        return hasMarketCode(at: 2)
    }

    /// Whether the last digit is the GS1 check digit of the others (GTIN-12, -13, -14: weights
    /// 3 and 1 alternating from the right, sum to a multiple of 10).
    static func hasGS1CheckDigit(_ digits: PhoneDigits) -> Bool {
        var sum = 0
        for index in 0..<(digits.count - 1) {
            let weight = (digits.count - 1 - index) % 2 == 1 ? 3 : 1
            sum += Int(digits[index]) * weight
        }
        return (10 - sum % 10) % 10 == Int(digits[digits.count - 1])
    }

    /// A national number written with separators (or a bare trunk-prefixed one or Chinese
    /// mobile), without a context word: the grouping must look like a phone number, not a date,
    /// ISBN or amount.
    private var isNational: Bool {
        // Digit groups after the first have at least two digits (`0-306-40615-2` is an ISBN);
        // `123-45-6789` is the SSN shape.
        guard groups.shortestAfterFirst >= 2, groups != GroupShape([3, 2, 4]) else { return false }
        let count = digits.count
        if digits[0] == 0 {
            // `020 7946 0958`, `(03) 9305484`, bare `0612345678`.
            if groups.count == 1 && !(10...11).contains(count) { return false }
            return count >= 8 && PhonePlan.trunkZeroLengths.contains(count - 1)
                || PhonePlan.byCallingCode[39]!.allows(first: 0, count: count)
        }
        // China's mobile numbers are written bare (`13812345678`), and their 11 digits and
        // leading digits are specific enough to stand alone.
        if groups.count == 1 { return count == 11 && PhonePlan.isChinaMobile(digits) }
        guard count >= 8 else { return false }
        // 4-4 is how the 8-digit plans without trunk prefix (DK, NO, SG, HK) write numbers, so
        // it counts when one of them allows the first digit (`5459 1710`, not `1234 5678`).
        if groups == GroupShape([4, 4]) { return PhonePlan.eightDigitPlansAllow(first: digits[0]) }
        // DK, NO 2-2-2-2, 3-2-3; ES, PL, PT 3-3-3, 3-2-2-2, 2-3-2-2; NANP 3-3-4 (with a
        // leading 1); BR/AR/MX 2-4-4 and 2-5-4; CN 3-4-4; IN 5-5; Italian mobiles 3-6, 3-7.
        return PhoneCandidate.nationalShapes.contains(groups)
    }

    /// After a context word any grouping is accepted, down to the 8-digit plans (DK, NO, SG, HK)
    /// and 7-digit local numbers.
    private var isNationalInContext: Bool {
        let count = digits.count
        if digits[0] == 0 { return PhonePlan.trunkZeroLengths.contains(count - 1) }
        return (7...11).contains(count)
    }

    static let nationalShapes: Set<GroupShape> = Set([
        [2, 2, 2, 2], [3, 2, 3], [3, 3, 3], [3, 2, 2, 2], [2, 3, 2, 2], [3, 6],
        [3, 3, 4], [1, 3, 3, 4], [2, 4, 4], [2, 5, 4], [3, 4, 4], [5, 5], [3, 7],
    ].map(GroupShape.init))
}
