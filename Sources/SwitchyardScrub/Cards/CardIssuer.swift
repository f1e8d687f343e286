/// A payment card network: the issuer identification number (IIN) prefixes it owns and the
/// card number lengths it issues. A Luhn-valid number that no network issues (an 18-digit
/// reference number starting `4`) is not a card.
///
/// Source: the ISO/IEC 7812 IIN ranges the networks publish (Visa, Mastercard, Amex, Discover
/// Global Network with Diners, JCB and UnionPay, Mir), with the lengths they issue today:
/// 13-digit Visa numbers are no longer issued, and only Maestro issues 17 or 18 digits, so a
/// Luhn-valid 18-digit reference number is not a card.
struct CardIssuer: Sendable {
    let name: String
    /// Inclusive prefix ranges, compared on the first `digits` digits of the number.
    let ranges: [(digits: Int, low: Int, high: Int)]
    let lengths: Set<Int>

    static let all: [CardIssuer] = [
        CardIssuer(name: "visa", ranges: [(1, 4, 4)], lengths: [16, 19]),
        CardIssuer(name: "mastercard", ranges: [(2, 51, 55), (4, 2221, 2720)], lengths: [16]),
        CardIssuer(name: "amex", ranges: [(2, 34, 34), (2, 37, 37)], lengths: [15]),
        CardIssuer(name: "discover", ranges: [(4, 6011, 6011), (3, 644, 649), (2, 65, 65)], lengths: [16, 19]),
        CardIssuer(name: "unionpay", ranges: [(2, 62, 62), (2, 81, 81)], lengths: [16, 19]),
        // JCB issues 3528–3589; no other network uses the rest of the 35 block.
        CardIssuer(name: "jcb", ranges: [(2, 35, 35)], lengths: [16, 19]),
        CardIssuer(name: "diners", ranges: [(3, 300, 305), (4, 3095, 3095), (2, 36, 36), (2, 38, 39)],
                   lengths: [14, 16]),
        CardIssuer(name: "maestro", ranges: [(4, 5018, 5018), (4, 5020, 5020), (4, 5038, 5038), (4, 5893, 5893),
                                             (4, 6304, 6304), (4, 6759, 6759), (4, 6761, 6763)],
                   lengths: [12, 13, 14, 15, 16, 17, 18, 19]),
        CardIssuer(name: "mir", ranges: [(4, 2200, 2204)], lengths: [16]),
    ]

    /// Whether some network issues a number with these digits (values 0–9).
    static func issues(_ digits: [UInt8]) -> Bool {
        all.contains { issuer in
            issuer.lengths.contains(digits.count) && issuer.ranges.contains { range in
                guard digits.count >= range.digits else { return false }
                let prefix = digits.prefix(range.digits).reduce(0) { $0 * 10 + Int($1) }
                return prefix >= range.low && prefix <= range.high
            }
        }
    }
}
