import CPCRE2

/// Checksums that cut false positives. They run inside the regex, through PCRE2 callouts
/// (`(?C1)`, `(?C2)`), so a candidate that fails its checksum makes the regex backtrack and try
/// the next shorter or later candidate, exactly as if the pattern itself had failed.
enum Validator: UInt32, CaseIterable, Sendable {
    /// `(?C1)`: a payment card number: Luhn, one kind of separator, a length and IIN prefix some
    /// card network issues (``CardIssuer``).
    case luhn = 1
    /// `(?C2)`: an IBAN: known country length and ISO 7064 mod-97 check digits.
    case iban = 2
    /// `(?C3)`: a phone number some numbering plan allows (``PhoneCandidate``), written the way
    /// phone numbers are written (international prefix, or national with phone-like grouping).
    case phone = 3
    /// `(?C4)`: a phone number right after a context word: bare digits and short national
    /// numbers pass too, if a plan allows their length.
    case phoneInContext = 4

    /// Whether `text` (the match so far) passes.
    func accepts(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .luhn: Validator.isCardNumber(text)
        case .iban: Validator.isIBAN(text)
        case .phone: PhoneCandidate(text).isValid(inContext: false)
        case .phoneInContext: PhoneCandidate(text).isValid(inContext: true)
        }
    }

    /// Luhn over the digits of `text`; separators (space or dash) must be all the same and split
    /// the number in groups like `4-4-4-4` or `4-6-5`; some network issues the number.
    static func isCardNumber(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var separator: UInt8 = 0
        var groupLength = 0
        var groups: [Int] = []
        var digits: [UInt8] = []
        groups.reserveCapacity(6)
        digits.reserveCapacity(19)
        for byte in text {
            if byte >= 0x30 && byte <= 0x39 {
                digits.append(byte - 0x30)
                groupLength += 1
            } else {
                if separator == 0 { separator = byte } else if separator != byte { return false }
                groups.append(groupLength)
                groupLength = 0
            }
        }
        groups.append(groupLength)
        guard (12...19).contains(digits.count), CardIssuer.issues(digits) else { return false }
        if groups.count > 1 {
            guard groups[0] == 4, groups.dropFirst().allSatisfy({ (3...6).contains($0) }) else {
                return false
            }
        }
        var double = false
        for value in digits.reversed() {
            var digit = Int(value)
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
        }
        return sum % 10 == 0
    }

    /// Country code, length and mod-97 of an IBAN, with optional single spaces every 4 characters.
    static func isIBAN(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        compact.reserveCapacity(34)
        var run = 0
        var spaced = false
        for byte in text {
            if byte == 0x20 {
                if run != 4 { return false }
                spaced = true
                run = 0
            } else {
                compact.append(byte)
                run += 1
            }
        }
        if spaced && run > 4 { return false }
        guard compact.count >= 15, compact.count <= 34 else { return false }
        let country = UInt16(compact[0]) << 8 | UInt16(compact[1])
        guard let expected = ibanLengths[country], expected == compact.count else { return false }
        // Move the first four characters to the end, letters become 10...35, then mod 97.
        var remainder = 0
        for index in 0..<compact.count {
            let byte = compact[(index + 4) % compact.count]
            switch byte {
            case 0x30...0x39:
                remainder = (remainder * 10 + Int(byte - 0x30)) % 97
            case 0x41...0x5A:
                remainder = (remainder * 100 + Int(byte - 0x41 + 10)) % 97
            default:
                return false
            }
        }
        return remainder == 1
    }

    /// IBAN lengths by country (SWIFT IBAN registry).
    static let ibanLengths: [UInt16: Int] = {
        let table = """
        AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 \
        DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 \
        IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 \
        MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 \
        SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30
        """
        var lengths: [UInt16: Int] = [:]
        for entry in table.split(separator: " ") {
            let bytes = Array(entry.utf8)
            lengths[UInt16(bytes[0]) << 8 | UInt16(bytes[1])] = Int(bytes[2] - 0x30) * 10 + Int(bytes[3] - 0x30)
        }
        return lengths
    }()
}

/// The callout every ``PCRERegex`` installs: dispatches `(?C<n>)` to ``Validator``.
/// Returns 0 to go on matching, 1 to make PCRE2 backtrack. Unknown numbers pass.
let builtInValidatorCallout: @convention(c) (
    UnsafeMutablePointer<pcre2_callout_block_8>?, UnsafeMutableRawPointer?
) -> Int32 = { block, _ in
    guard let block = block?.pointee, let validator = Validator(rawValue: block.callout_number),
          let subject = block.subject else { return 0 }
    let text = UnsafeBufferPointer(start: subject + block.start_match,
                                   count: block.current_position - block.start_match)
    return validator.accepts(text) ? 0 : 1
}
