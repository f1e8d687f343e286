import SeededRandom
/// A labelled corpus of chat messages made with a fixed-seed PRNG: PII of every type in varied
/// formats, look-alikes that are not PII, and filler prose and code.

/// One piece of a generated message.
struct Segment {
    enum Kind: Equatable { case filler, pii(String), lookalike(String) }
    let kind: Kind
    let text: String
}

struct LabelledMessage {
    let segments: [Segment]
    var text: String { segments.map(\.text).joined() }
}

enum Corpus {
    static let alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    static let upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    static let base64url = alnum + "-_"

    static let words = """
    the a we you please could would should check send update meeting report invoice order \
    project status review deploy server database customer support ticket schedule tomorrow \
    today thanks regards issue bug fix release notes version build pipeline team account \
    billing payment refund shipping address contact details note summary draft question \
    answer model prompt token context window latency error retry timeout config file
    """.split(separator: " ").map(String.init)

    static let firstNames = ["jane", "john", "maria", "li", "ahmed", "olga", "sam", "priya", "tom", "zoë"]
    static let lastNames = ["doe", "smith", "garcia", "wang", "khan", "ivanova", "lee", "patel", "brown"]
    static let domains = ["example.com", "mail.example.org", "corp.example.co.uk", "test.io", "uni-x.edu",
                          "example.de", "sub.domain.example.net"]

    static func message(_ rng: inout SplitMix64) -> LabelledMessage {
        var segments: [Segment] = []
        let items = rng.int(2...6)
        for _ in 0..<items {
            segments.append(Segment(kind: .filler, text: filler(&rng)))
            if rng.chance(55) {
                let type = rng.pick(piiTypes)
                let (prefix, value, suffix) = pii(type, &rng)
                segments.append(Segment(kind: .filler, text: prefix))
                segments.append(Segment(kind: .pii(type), text: value))
                segments.append(Segment(kind: .filler, text: suffix))
            } else {
                let kind = rng.pick(lookalikeKinds)
                segments.append(Segment(kind: .lookalike(kind), text: lookalike(kind, &rng)))
            }
        }
        segments.append(Segment(kind: .filler, text: rng.pick([".", "!", "?", "\n", " :)", ""])))
        return LabelledMessage(segments: segments)
    }

    static func filler(_ rng: inout SplitMix64) -> String {
        var parts: [String] = []
        for _ in 0..<rng.int(3...14) { parts.append(rng.pick(words)) }
        if rng.chance(10) { parts.append("`let x = foo(bar: 1)`") }
        if rng.chance(5) { parts.append("std::vector<int>") }
        if rng.chance(5) { parts.append("f :: Int -> Int") }
        return " " + parts.joined(separator: rng.pick([" ", " ", " ", ", "])) + rng.pick([" ", ": ", " (", " — ", ", "])
    }

    // MARK: PII

    static let piiTypes = ["EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IPV4", "IPV6",
                           "AWS_ACCESS_KEY", "API_KEY", "JWT", "URL_CREDENTIALS"]

    /// Expected label for a PII type of the corpus.
    static func label(_ type: String) -> String {
        switch type {
        case "IPV4", "IPV6": "IP_ADDRESS"
        default: type
        }
    }

    /// (text before, the value, text after): URL credentials come inside a URL.
    static func pii(_ type: String, _ rng: inout SplitMix64) -> (String, String, String) {
        switch type {
        case "EMAIL": return ("", email(&rng), "")
        case "PHONE": return ("", phone(&rng), "")
        case "CREDIT_CARD": return ("", card(&rng, valid: true), "")
        case "US_SSN": return ("", ssn(&rng), "")
        case "IBAN": return ("", iban(&rng, valid: true), "")
        case "IPV4": return ("", (0..<4).map { _ in String(rng.int(0...255)) }.joined(separator: "."), "")
        case "IPV6": return ("", ipv6(&rng), "")
        case "AWS_ACCESS_KEY":
            return ("", rng.pick(["AKIA", "ASIA"]) + rng.chars(16, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), "")
        case "API_KEY": return ("", apiKey(&rng), "")
        case "JWT":
            let token = "eyJ" + rng.chars(rng.int(17...40), from: base64url) + ".eyJ"
                + rng.chars(rng.int(20...120), from: base64url) + "." + rng.chars(43, from: base64url)
            return ("", token, "")
        default:
            let scheme = rng.pick(["https", "postgres", "mysql", "redis", "ftp", "amqp"])
            let user = rng.pick(firstNames).asciiName + rng.digits(rng.int(0...2))
            let password = rng.chars(rng.int(6...20), from: alnum + "!$%*-_.~")
            return ("\(scheme)://", "\(user):\(password)", "@\(rng.pick(["db", "cache", "mq", "api"])).\(rng.pick(domains))\(rng.pick(["", "/app", ":5432/db", "/v1?x=1"]))")
        }
    }

    static func email(_ rng: inout SplitMix64) -> String {
        var first = rng.pick(firstNames).asciiName
        if rng.chance(20) { first = first.prefix(1).uppercased() + first.dropFirst() }
        let local: String
        switch rng.int(0...4) {
        case 0: local = first
        case 1: local = first + "." + rng.pick(lastNames)
        case 2: local = first + "_" + rng.pick(lastNames) + rng.digits(2)
        case 3: local = first + "+" + rng.pick(["news", "work", "x1"])
        default: local = String(first.first!) + rng.pick(lastNames) + rng.digits(rng.int(0...4))
        }
        return local + "@" + rng.pick(domains)
    }

    static func phone(_ rng: inout SplitMix64) -> String {
        let area = String(rng.int(201...989)), exchange = String(rng.int(200...999)), line = rng.digits(4)
        switch rng.int(0...9) {
        case 0: return "(\(area)) \(exchange)-\(line)"
        case 1: return "\(area)-\(exchange)-\(line)"
        case 2: return "\(area).\(exchange).\(line)"
        case 3: return "+1 \(area) \(exchange) \(line)"
        case 4: return "+1\(area)\(exchange)\(line)"
        case 5: return "1-800-\(exchange)-\(line)"
        case 6: return "+44 20 \(rng.digits(4)) \(rng.digits(4))"
        case 7: return "0\(rng.int(20...99)) \(rng.digits(4)) \(rng.digits(4))"
        case 8: return "+49 \(rng.int(30...89)) \(rng.digits(7))"
        default: return "0\(rng.int(1...7)) \(rng.digits(2)) \(rng.digits(2)) \(rng.digits(2)) \(rng.digits(2))"
        }
    }

    static func luhnCheckDigit(_ digits: String) -> Int {
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            var digit = character.wholeNumberValue!
            if offset % 2 == 0 { digit *= 2; if digit > 9 { digit -= 9 } }
            sum += digit
        }
        return (10 - sum % 10) % 10
    }

    static func card(_ rng: inout SplitMix64, valid: Bool) -> String {
        let brand = rng.int(0...4)
        let prefix: String, length: Int
        switch brand {
        case 0: (prefix, length) = ("4", 16)
        case 1: (prefix, length) = (String(rng.int(51...55)), 16)
        case 2: (prefix, length) = (String(rng.int(2221...2720)), 16)
        case 3: (prefix, length) = (rng.pick(["34", "37"]), 15)
        default: (prefix, length) = ("6011", 16)
        }
        let body = prefix + rng.digits(length - prefix.count - 1)
        var check = luhnCheckDigit(body)
        if !valid { check = (check + rng.int(1...9)) % 10 }
        let number = body + String(check)
        let separator = rng.pick(["", " ", "-"])
        guard !separator.isEmpty else { return number }
        let groups = length == 15 ? [4, 6, 5] : [4, 4, 4, 4]
        var parts: [String] = []
        var index = number.startIndex
        for size in groups {
            let end = number.index(index, offsetBy: size)
            parts.append(String(number[index..<end]))
            index = end
        }
        return parts.joined(separator: separator)
    }

    static func ssn(_ rng: inout SplitMix64) -> String {
        var area = rng.int(1...899)
        if area == 666 { area = 667 }
        let separator = rng.chance(80) ? "-" : " "
        return String(format3(area)) + separator + padded(rng.int(1...99), 2) + separator
            + padded(rng.int(1...9999), 4)
    }

    static func format3(_ value: Int) -> String { padded(value, 3) }

    static let ibanCountries = ["DE", "GB", "FR", "NL", "ES", "IT", "CH", "BE"]

    static func ibanBody(_ country: String, _ rng: inout SplitMix64) -> String {
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        switch country {
        case "DE": return rng.digits(18)
        case "GB": return rng.chars(4, from: letters) + rng.digits(14)
        case "FR": return rng.digits(23)
        case "NL": return rng.chars(4, from: letters) + rng.digits(10)
        case "ES": return rng.digits(20)
        case "IT": return rng.chars(1, from: letters) + rng.digits(22)
        case "CH": return rng.digits(17)
        default: return rng.digits(12)
        }
    }

    static func iban(_ rng: inout SplitMix64, valid: Bool) -> String {
        let country = rng.pick(ibanCountries)
        let body = ibanBody(country, &rng)
        var check = 98 - mod97(body + country + "00")
        if !valid {
            // Shifting the check digits by 1...10 always breaks mod-97.
            let shift = rng.int(1...10)
            check = check + shift <= 98 ? check + shift : check - shift
        }
        let compact = country + padded(check, 2) + body
        guard rng.chance(50) else { return compact }
        var groups: [String] = []
        var index = compact.startIndex
        while index < compact.endIndex {
            let end = compact.index(index, offsetBy: 4, limitedBy: compact.endIndex) ?? compact.endIndex
            groups.append(String(compact[index..<end]))
            index = end
        }
        return groups.joined(separator: " ")
    }

    static func mod97(_ text: String) -> Int {
        var remainder = 0
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                remainder = (remainder * 10 + digit) % 97
            } else {
                let value = Int(character.asciiValue! - 55)
                remainder = (remainder * 100 + value) % 97
            }
        }
        return remainder
    }

    static func ipv6(_ rng: inout SplitMix64) -> String {
        let groups = (0..<8).map { _ in String(rng.int(0...0xFFFF), radix: 16) }
        var text: String
        switch rng.int(0...3) {
        case 0: text = groups.joined(separator: ":")
        case 1: text = "2001:db8::" + groups[7]
        case 2: text = groups[0..<3].joined(separator: ":") + "::" + groups[6..<8].joined(separator: ":")
        default: text = "fe80::" + groups[4..<8].joined(separator: ":")
        }
        if rng.chance(20) { text = text.uppercased() }
        return text
    }

    static func apiKey(_ rng: inout SplitMix64) -> String {
        switch rng.int(0...6) {
        case 0: return "sk-" + rng.chars(48, from: alnum)
        case 1: return "sk-proj-" + rng.chars(rng.int(40...100), from: base64url)
        case 2: return "sk-ant-api03-" + rng.chars(rng.int(80...95), from: base64url)
        case 3: return rng.pick(["ghp_", "gho_", "ghs_"]) + rng.chars(36, from: alnum)
        case 4: return "github_pat_" + rng.chars(22, from: alnum) + "_" + rng.chars(59, from: alnum)
        case 5: return rng.pick(["xoxb-", "xoxp-"]) + rng.digits(12) + "-" + rng.digits(12) + "-" + rng.chars(24, from: alnum)
        default: return "AIza" + rng.chars(35, from: base64url)
        }
    }

    // MARK: Look-alikes (not PII)

    static let lookalikeKinds = ["order number", "date", "version", "uuid", "non-Luhn card", "invalid IBAN",
                                 "short number", "price", "time", "git sha", "mac address", "isbn",
                                 "invalid IPv4", "handle", "number list", "invalid SSN"]

    static func lookalike(_ kind: String, _ rng: inout SplitMix64) -> String {
        switch kind {
        case "order number":
            return rng.pick(["order #", "Order ", "ticket ", "PO-", "invoice INV-", "ref "]) + rng.digits(rng.int(5...9))
        case "date":
            let y = rng.int(1990...2030), m = rng.int(1...12), d = rng.int(1...28)
            return rng.pick(["\(y)-\(padded(m, 2))-\(padded(d, 2))",
                             "\(padded(d, 2)).\(padded(m, 2)).\(y)",
                             "\(m)/\(d)/\(y)", "\(y)-\(padded(m, 2))-\(padded(d, 2))T10:3\(rng.int(0...9)):00Z"])
        case "version":
            return rng.pick(["v", "", "version "]) + "\(rng.int(0...20)).\(rng.int(0...30)).\(rng.int(0...99))"
                + rng.pick(["", "-beta.1", "-rc2", ".\(rng.int(1000...20000))"])
        case "uuid":
            let hex = "0123456789abcdef"
            return [8, 4, 4, 4, 12].map { rng.chars($0, from: hex) }.joined(separator: "-")
        case "non-Luhn card": return card(&rng, valid: false)
        case "invalid IBAN": return iban(&rng, valid: false)
        case "short number":
            return rng.pick(["ext. \(rng.digits(4))", "room \(rng.int(1...99))-\(rng.int(10...99))",
                             "PIN \(rng.digits(4))", "\(rng.digits(3))-\(rng.digits(4))", "zip \(rng.digits(5))"])
        case "price": return rng.pick(["$", "€", "USD "]) + "\(rng.int(1...999)),\(rng.digits(3)).\(rng.digits(2))"
        case "time": return "\(rng.int(0...23)):\(padded(rng.int(0...59), 2)):\(padded(rng.int(0...59), 2))"
        case "git sha": return rng.chars(rng.pick([7, 40]), from: "0123456789abcdef")
        case "mac address":
            return (0..<6).map { _ in rng.chars(2, from: "0123456789ABCDEF") }.joined(separator: ":")
        case "isbn": return "978-\(rng.int(0...9))-\(rng.digits(2))-\(rng.digits(6))-\(rng.int(0...9))"
        case "invalid IPv4": return "\(rng.int(256...999)).\(rng.int(0...255)).\(rng.int(0...255)).\(rng.int(0...255))"
        case "handle": return rng.pick(["@", "user@", "ping @"]) + rng.pick(firstNames).asciiName
        case "number list": return (0..<rng.int(5...12)).map { _ in String(rng.int(0...99)) }.joined(separator: rng.pick([", ", " "]))
        default: return rng.pick(["000", "666", "9\(rng.digits(2))"]) + "-\(rng.digits(2))-\(rng.digits(4))"
        }
    }
}

extension String {
    var asciiName: String { String(map { $0 == "ë" ? "e" : $0 }) }

}

/// `value` in decimal, zero-padded to `width` digits.
func padded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
