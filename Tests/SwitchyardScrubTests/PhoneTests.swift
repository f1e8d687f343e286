import Testing
@testable import SwitchyardScrub

@Suite("Phone numbers")
struct PhoneTests {
    /// Formats of issue 15 and of each market's numbering plan, each replaced whole.
    static let found = [
        "0044 20 7946 0958", "001-202-555-0147", "011 44 20 7946 0958", "(01632) 960 788", "86 9590-8988",
        "+44 (0)20 7946 0958", "+44(0)141 4960821", "0033 6 12 34 56 78", "(0185) 764763", "(351) 920 717 297",
        "+65 6123 4567", "+852 2123 4567", "+971 50 123 4567", "+234 803 123 4567", "+27 21 123 4567",
        "+81 3-1234-5678", "010-1234-5678", "+86 138 1234 5678", "+91 98765 43210", "+55 11 91234-5678",
        "+54 11 1234-5678", "+52 55 1234 5678", "+61 2 9876 5432", "+64 9 123 4567", "+353 1 234 5678",
        "+48 22 123 45 67", "+45 32 12 34 56", "+47 22 12 34 56", "+46 8 123 456 78", "+43 1 2345678",
        "+41 44 668 18 00", "+32 2 123 45 67", "+31 20 123 4567", "+39 06 1234 5678", "+34 912 34 56 78",
        "+49 30 1234567", "+33 1 23 45 67 89", "+82 2-312-3456", "0612 345 678", "92 19 97 80",
    ]

    /// Phone-shaped values no plan allows, and look-alikes.
    static let ignored = [
        "+44 12", "+999 1234 5678", "+1 415 555 26", "01.05.2024", "2024-05-01", "0-306-40615-2",
        "48.8566123", "order 123456789", "1234 5678", "555-1234", "v1.2.3", "12:30:45", "10.0.19041.1",
        "0026425170623", "ISBN 978-3-16-148410-0",
    ]

    @Test("international (+, 00, 011), national, parenthesised and trunk-prefixed formats", arguments: found)
    func formats(_ value: String) throws {
        #expect(try redact("before \(value) after", with: "phone") == "before [PHONE] after")
    }

    @Test("numbers no numbering plan allows and look-alikes stay", arguments: ignored)
    func rejected(_ value: String) throws {
        #expect(try redact("before \(value) after", with: "phone") == "before \(value) after")
    }

    @Test("an extension is part of the number")
    func extensions() throws {
        #expect(try redact("call 591-856-1936x1478 today", with: "phone") == "call [PHONE] today")
        #expect(try redact("dial +1 415 555 2671 ext. 12 now", with: "phone") == "dial [PHONE] now")
        #expect(try redact("(428)327-7607 #53 please", with: "phone") == "[PHONE] please")
    }

    @Test("bare digits count as a phone number only right after a context word")
    func contextWords() throws {
        #expect(try redact("phone 4155552671", with: "phone") == "phone [PHONE]")
        #expect(try redact("Handy: 15112345678", with: "phone") == "Handy: [PHONE]")
        #expect(try redact("TÉLÉPHONE : 612345678", with: "phone") == "TÉLÉPHONE : [PHONE]")
        #expect(try redact("Meine Telefonnummer ist 4915112345678", with: "phone") == "Meine Telefonnummer ist [PHONE]")
        #expect(try redact("call me on 37413030", with: "phone") == "call me on [PHONE]")
        #expect(try redact("手机：13361267238", with: "phone") == "手机：[PHONE]")
        #expect(try redact("order 4155552671", with: "phone") == "order 4155552671")
        #expect(try redact("phone 12, order 4155552671", with: "phone") == "phone 12, order 4155552671")
        #expect(try redact("phone\n4155552671", with: "phone") == "phone\n4155552671")
    }

    @Test("after a context word an international number needs only E.164's limits, not its plan")
    func internationalInContext() throws {
        // Nine digits after +54 9: one short of an Argentine mobile (a typo or a truncation
        // still gives most of the number away).
        #expect(try redact("tel. +54 9 3596 6756", with: "phone") == "tel. [PHONE]")
        #expect(try redact(#"{"phone": "0045 08 16 62 43"}"#, with: "phone") == #"{"phone": "[PHONE]"}"#)
        #expect(try redact("phone=00971 1 316 6231 status=200", with: "phone") == "phone=[PHONE] status=200")
        // Without the word the plan decides.
        #expect(try redact("see +54 9 3596 6756", with: "phone") == "see +54 9 3596 6756")
        // Still not a phone number: too short for any country, or an unassigned code.
        #expect(try redact("phone +1 555", with: "phone") == "phone +1 555")
        #expect(try redact("phone +999 1234 5678", with: "phone") == "phone +999 1234 5678")
    }

    @Test("China's mobile numbers count written bare; order and reference numbers do not")
    func bareChinaMobiles() throws {
        #expect(try redact("4821,Jane Doe,13812345678,Springfield", with: "phone") == "4821,Jane Doe,[PHONE],Springfield")
        #expect(try redact("id 19912345678 ok", with: "phone") == "id [PHONE] ok")
        // 128… is no mobile block, 12 digits no mobile number.
        #expect(try redact("id 12812345678 ok", with: "phone") == "id 12812345678 ok")
        #expect(try redact("id 138123456789 ok", with: "phone") == "id 138123456789 ok")
        // A number named as an order or reference number, or glued to `#`, is that identifier.
        #expect(try redact("Order 13812345678", with: "phone") == "Order 13812345678")
        #expect(try redact("ticket #13812345678", with: "phone") == "ticket #13812345678")
        #expect(try redact(#"{"ref": "13812345678"}"#, with: "phone") == #"{"ref": "13812345678"}"#)
        #expect(try redact("La référence 13812345678 figure", with: "phone") == "La référence 13812345678 figure")
        // Whole words: `orders` and `reference` are not the same word.
        #expect(try redact("orders 13812345678", with: "phone") == "orders [PHONE]")
    }

    @Test("4-4 is a number when an 8-digit plan without trunk prefix allows its first digit")
    func fourFour() throws {
        #expect(try redact("4821,Jane Doe,5459 1710,Springfield", with: "phone") == "4821,Jane Doe,[PHONE],Springfield")
        #expect(try redact("Singapore office 6123 4567", with: "phone") == "Singapore office [PHONE]")
        #expect(try redact("4821,Jane Doe,1234 5678,Springfield", with: "phone") == "4821,Jane Doe,1234 5678,Springfield")
    }

    @Test("a bare 00 number is international unless it is a GS1 trade item number")
    func bareInternational() throws {
        #expect(try redact("4821,Jane Doe,00441154960419,Springfield", with: "phone") == "4821,Jane Doe,[PHONE],Springfield")
        #expect(try redact("4821,Jane Doe,0034878267236,Springfield", with: "phone") == "4821,Jane Doe,[PHONE],Springfield")
        // The same digits ending in their GS1 check digit: a GTIN-14 and an EAN-13.
        #expect(try redact("4821,Jane Doe,00441154960411,Springfield", with: "phone") == "4821,Jane Doe,00441154960411,Springfield")
        #expect(try redact("4821,Jane Doe,0034878267234,Springfield", with: "phone") == "4821,Jane Doe,0034878267234,Springfield")
        // Too short for a whole international number; a code without a detailed plan.
        #expect(try redact("4821,Jane Doe,00491234567,Springfield", with: "phone") == "4821,Jane Doe,00491234567,Springfield")
        #expect(try redact("4821,Jane Doe,0071234567890,Springfield", with: "phone") == "4821,Jane Doe,0071234567890,Springfield")
    }

    @Test("after a context word a 00 number that no country code explains is a national number")
    func zeroZeroInContext() throws {
        #expect(try redact("phone=00 71 68 01 status=200", with: "phone") == "phone=[PHONE] status=200")
        #expect(try redact("Telefoon: (002) 3083956", with: "phone") == "Telefoon: [PHONE]")
        #expect(try redact("id=00 71 68 01 status=200", with: "phone") == "id=00 71 68 01 status=200")
    }

    @Test("a + number written with dots is not taken for an IPv4 address")
    func dottedInternational() throws {
        #expect(try redact("4821,Jane Doe,+61.412.395.881,Springfield", with: "phone")
                == "4821,Jane Doe,[PHONE],Springfield")
        #expect(try redact("host 12.34.56.78 up", with: "phone") == "host 12.34.56.78 up")
    }

    @Test("Arabic context words")
    func arabic() throws {
        #expect(try redact("رقم الهاتف 0097165966166 شكرا", with: "phone") == "رقم الهاتف [PHONE] شكرا")
        #expect(try redact("هاتف: 600352878", with: "phone") == "هاتف: [PHONE]")
        #expect(try redact("جوال 0501234567", with: "phone") == "جوال [PHONE]")
        #expect(try redact("القيمة 600352878", with: "phone") == "القيمة 600352878")
    }
}

@Test("every market of issue 15 has a numbering plan with an assigned calling code")
func marketsHavePlans() {
    let regions = Set(PhonePlan.markets.flatMap { $0.regions.split(separator: " ").map(String.init) })
    for market in "US CA GB DE FR ES IT NL BE CH AT SE NO DK PL PT IE IN BR MX AR JP KR CN AU NZ ZA NG SG HK AE".split(separator: " ") {
        #expect(regions.contains(String(market)), "\(market)")
    }
    for plan in PhonePlan.markets {
        #expect(Int(plan.callingCode).map(PhonePlan.assignedCallingCodes.contains) == true, "\(plan.callingCode)")
    }
}
