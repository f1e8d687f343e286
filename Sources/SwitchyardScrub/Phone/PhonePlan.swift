/// The numbering plan of one country calling code: what a valid national significant number
/// (NSN, the digits after the country code and without the trunk prefix) looks like.
///
/// The phone validator checks candidates against these plans, so a phone-shaped run of digits
/// that no plan allows (`+44 12`, `+1 415 555 26`) is not redacted, and a bare national number
/// is only accepted when some plan has its length.
///
/// Source: ITU-T E.164 country code assignments (List of ITU-T Recommendation E.164 assigned
/// country codes, Operational Bulletin 1297, 2024) and the national number lengths, trunk
/// prefixes and leading digits of Google's libphonenumber metadata (release 9.0, checked against
/// the `general_desc` of the `phonenumbers` 9.0.43 port), summarised by hand: one length range
/// and one set of leading digits per plan, short service numbers left out.
struct PhonePlan: Sendable {
    /// Country calling code digits (`"44"`).
    let callingCode: String
    /// ISO 3166 regions sharing the code (for docs and tests).
    let regions: String
    /// Whether numbers are written nationally with a leading trunk `0` (`020 7946 0958`).
    let trunkZero: Bool
    /// Allowed NSN lengths.
    let lengths: ClosedRange<Int>
    /// Digits an NSN may start with.
    let leadingDigits: String

    /// Whether an NSN of `count` digits starting with digit `first` (0–9) is one this plan allows.
    func allows(first: UInt8, count: Int) -> Bool {
        lengths.contains(count) && leadingDigits.utf8.contains(first + 0x30)
    }

    /// The 30 largest phone markets of issue 15, plus Taiwan (in the evaluation set).
    static let markets: [PhonePlan] = [
        PhonePlan(callingCode: "1", regions: "US CA", trunkZero: false, lengths: 10...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "44", regions: "GB", trunkZero: true, lengths: 9...10, leadingDigits: "1235789"),
        PhonePlan(callingCode: "49", regions: "DE", trunkZero: true, lengths: 6...13, leadingDigits: "123456789"),
        PhonePlan(callingCode: "33", regions: "FR", trunkZero: true, lengths: 9...9, leadingDigits: "123456789"),
        PhonePlan(callingCode: "34", regions: "ES", trunkZero: false, lengths: 9...9, leadingDigits: "56789"),
        PhonePlan(callingCode: "39", regions: "IT", trunkZero: false, lengths: 6...12, leadingDigits: "0134578"),
        PhonePlan(callingCode: "31", regions: "NL", trunkZero: true, lengths: 7...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "32", regions: "BE", trunkZero: true, lengths: 8...9, leadingDigits: "123456789"),
        PhonePlan(callingCode: "41", regions: "CH", trunkZero: true, lengths: 9...9, leadingDigits: "23456789"),
        PhonePlan(callingCode: "43", regions: "AT", trunkZero: true, lengths: 4...13, leadingDigits: "123456789"),
        PhonePlan(callingCode: "46", regions: "SE", trunkZero: true, lengths: 7...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "47", regions: "NO", trunkZero: false, lengths: 8...8, leadingDigits: "023456789"),
        PhonePlan(callingCode: "45", regions: "DK", trunkZero: false, lengths: 8...8, leadingDigits: "23456789"),
        PhonePlan(callingCode: "48", regions: "PL", trunkZero: false, lengths: 9...9, leadingDigits: "123456789"),
        PhonePlan(callingCode: "351", regions: "PT", trunkZero: false, lengths: 9...9, leadingDigits: "235789"),
        PhonePlan(callingCode: "353", regions: "IE", trunkZero: true, lengths: 7...10, leadingDigits: "12456789"),
        PhonePlan(callingCode: "91", regions: "IN", trunkZero: true, lengths: 10...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "55", regions: "BR", trunkZero: true, lengths: 10...11, leadingDigits: "123456789"),
        PhonePlan(callingCode: "52", regions: "MX", trunkZero: false, lengths: 10...11, leadingDigits: "123456789"),
        PhonePlan(callingCode: "54", regions: "AR", trunkZero: true, lengths: 10...11, leadingDigits: "123456789"),
        PhonePlan(callingCode: "81", regions: "JP", trunkZero: true, lengths: 9...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "82", regions: "KR", trunkZero: true, lengths: 8...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "86", regions: "CN", trunkZero: true, lengths: 9...11, leadingDigits: "123456789"),
        PhonePlan(callingCode: "61", regions: "AU", trunkZero: true, lengths: 9...10, leadingDigits: "123478"),
        PhonePlan(callingCode: "64", regions: "NZ", trunkZero: true, lengths: 8...10, leadingDigits: "2346789"),
        PhonePlan(callingCode: "27", regions: "ZA", trunkZero: true, lengths: 9...9, leadingDigits: "123456789"),
        PhonePlan(callingCode: "234", regions: "NG", trunkZero: true, lengths: 8...10, leadingDigits: "123456789"),
        PhonePlan(callingCode: "65", regions: "SG", trunkZero: false, lengths: 8...8, leadingDigits: "3689"),
        PhonePlan(callingCode: "852", regions: "HK", trunkZero: false, lengths: 8...8, leadingDigits: "23456789"),
        PhonePlan(callingCode: "971", regions: "AE", trunkZero: true, lengths: 8...9, leadingDigits: "2345679"),
        PhonePlan(callingCode: "886", regions: "TW", trunkZero: true, lengths: 8...9, leadingDigits: "2345678"),
    ]

    /// Plans by calling code (as a number: codes never start with 0).
    static let byCallingCode: [Int: PhonePlan] = Dictionary(
        uniqueKeysWithValues: markets.map { (Int($0.callingCode)!, $0) })

    /// NSN lengths of the plans whose numbers are written nationally with a trunk `0`.
    static let trunkZeroLengths: Set<Int> = Set(markets.filter(\.trunkZero).flatMap { Array($0.lengths) })
}
