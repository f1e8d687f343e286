extension Detector {
    /// Every built-in detector, in priority order (earlier wins ties between overlapping matches
    /// of equal extent).
    public static let builtIns: [Detector] = [
        .email, .urlCredentials, .jwt, .apiKey, .awsAccessKey, .awsSecretKey, .iban,
        .creditCard, .usSSN, .phone, .ipv4, .ipv6, .ipAddress,
    ]

    /// The detectors used when a scrubber names none: everything except `aws_secret_key`
    /// (keyword-anchored) and `ip_address` (the union of `ipv4` and `ipv6`).
    public static let defaultNames: [String] = [
        "email", "phone", "credit_card", "us_ssn", "iban", "ipv4", "ipv6",
        "aws_access_key", "api_key", "jwt", "url_credentials",
    ]

    // Patterns are matched byte-wise (no UTF mode): every class is ASCII. Each one starts with a
    // lookbehind and ends with a lookahead so a value is never cut out of a longer token.

    static let email = Detector(
        name: "email", label: "EMAIL",
        pattern: #"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9_][A-Za-z0-9._%+\-']{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])"#,
        aliases: ["EMAIL_ADDRESS", "email_address"],
        triggers: [.at], maskStyle: .email)

    // A phone token: an optional `+`, then up to nine groups of 1–5 digits joined by up to two
    // separators, parentheses allowed (`+44 (0)20 7946 0958`, `(0185) 764763`, `00/ 327 90 30`).
    // It is atomic (no backtracking into it): the callout decides, from the numbering plans,
    // whether the whole token is a phone number. Dates (`01.05.2024`, `2024-05-01`) are skipped
    // up front, and so are numbers glued to a `#` (`#18880222191` is an order or issue number);
    // an extension (`x1478`, `ext. 12`, `#7`) is part of the match.
    static let phoneStart = #"(?<![\w+.\-/#])(?<!\d[ .\-(/])(?<!\d\))(?<!\d\)[ .\-])(?!\(?\d{1,2}([./\-])\d{1,2}\1\d{2,4}(?![.\-/]?\d))(?!\(?\d{4}([./\-])\d\d\2\d\d(?!\d))"#
    static let phoneToken = #"(?>(?:\+[ ]?)?\(?\d{1,5}\)?(?:[ .\-/]{0,2}\(?\d{1,5}\)?){0,8})"#
    static let phoneEnd = #"(?:[ ]?(?i:ext(?:ension|n)?\.?|x|#)[ ]?\d{1,6}(?!\d))?(?![\w\-]|[ .,\-]\d)"#

    static let phone = Detector(
        name: "phone", label: "PHONE",
        pattern: phoneStart + phoneToken + "(?C3)" + phoneEnd,
        aliases: ["PHONE_NUMBER", "phone_number"],
        triggers: [.digits(minDigits: 7, minDots: 0)], maskStyle: .lastFour,
        context: ContextRule(pattern: phoneStart + phoneToken + "(?C4)" + phoneEnd, topic: .phone,
                             digitCounts: 7...PhoneDigits.capacity),
        notAfter: [.reference])

    static let creditCard = Detector(
        name: "credit_card", label: "CREDIT_CARD",
        pattern: #"(?<![\w+\-.])(?<!\b[A-Z0-9]{2}\d\d[ \-])[2-6]\d{3}(?:[ \-]?\d){9,15}(?![\w\-]|[.,]\d|[ \-]\d{3,}[ \-]?\d)(?C1)"#,
        aliases: ["CREDIT_CARD", "visa", "mastercard", "amex", "card"],
        triggers: [.digits(minDigits: 13, minDots: 0)], maskStyle: .lastFour)

    static let usSSN = Detector(
        name: "us_ssn", label: "US_SSN",
        pattern: #"(?<![\w\-+.])(?!000|666|9\d\d)\d{3}([\- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w\-]|[.,]\d)"#,
        aliases: ["US_SSN", "ssn"],
        triggers: [.digits(minDigits: 9, minDots: 0)], maskStyle: .lastFour,
        context: ContextRule(
            pattern: #"(?<![\w\-+.])(?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4}(?![\w\-]|[.,]\d)"#,
            topic: .ssn, digitCounts: 9...9))

    static let iban = Detector(
        name: "iban", label: "IBAN",
        pattern: #"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])(?C2)"#,
        aliases: ["IBAN_CODE", "iban_code"],
        triggers: [.ibanStart], maskStyle: .lastFour)

    static let ipv4Core = #"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"#

    // `0.x.x.x` (RFC 1122 "this network") is no host's address: `0.0.0.0` in a bind address,
    // `0.9.1.2` a version.
    static let ipv4 = Detector(
        name: "ipv4", label: "IP_ADDRESS",
        pattern: #"(?<![\w.\-])(?!0\.)"# + ipv4Core + #"(?![\w\-]|\.\d)"#,
        aliases: ["ip_v4"],
        triggers: [.digits(minDigits: 4, minDots: 3)], maskStyle: .ipv4, notAfter: [.version, .reference])

    static let ipv6Core: String = {
        let h = "[0-9A-Fa-f]{1,4}"
        return "(?:" + [
            "(?:\(h):){7}\(h)",
            "(?:\(h):){1,7}:",
            "(?:\(h):){1,6}:\(h)",
            "(?:\(h):){1,5}(?::\(h)){1,2}",
            "(?:\(h):){1,4}(?::\(h)){1,3}",
            "(?:\(h):){1,3}(?::\(h)){1,4}",
            "(?:\(h):){1,2}(?::\(h)){1,5}",
            "\(h):(?::\(h)){1,6}",
            ":(?::\(h)){1,7}",
            "(?:\(h):){6}\(ipv4Core)",
            "::(?:[fF]{4}(?::0{1,4})?:)?\(ipv4Core)",
            "(?:\(h):){1,4}:\(ipv4Core)",
        ].joined(separator: "|") + ")"
    }()

    static let ipv6 = Detector(
        name: "ipv6", label: "IP_ADDRESS",
        pattern: #"(?<![\w:.])"# + ipv6Core + #"(?![\w:]|\.\d)"#,
        aliases: ["ip_v6"],
        triggers: [.colon], maskStyle: .ipv6)

    static let ipAddress = Detector(
        name: "ip_address", label: "IP_ADDRESS",
        pattern: #"(?<![\w.\-:])(?:(?!0\.)"# + ipv4Core + "|" + ipv6Core + #")(?![\w\-:]|\.\d)"#,
        aliases: ["IP_ADDRESS"],
        triggers: [.digits(minDigits: 4, minDots: 3), .colon], maskStyle: .ipv4, notAfter: [.version, .reference])

    static let awsAccessKey = Detector(
        name: "aws_access_key", label: "AWS_ACCESS_KEY",
        pattern: #"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])"#,
        aliases: ["aws_access_key_id", "AWS_ACCESS_KEY"],
        triggers: [.prefixes(["AKIA", "ASIA", "ABIA", "ACCA", "A3T"])], maskStyle: .secretPrefix)

    static let awsSecretKey = Detector(
        name: "aws_secret_key", label: "AWS_SECRET_KEY",
        pattern: #"(?i:(?:aws[_\-. ]?)?secret[_\-. ]?(?:access[_\-. ]?)?key)["']?\s{0,4}[:=]\s{0,4}["']?\K[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"#,
        aliases: ["aws_secret_access_key", "AWS_SECRET_KEY"],
        triggers: [.anywhere], maskStyle: .secretPrefix)

    static let apiKey = Detector(
        name: "api_key", label: "API_KEY",
        pattern: #"(?<![A-Za-z0-9_\-])(?:sk-[A-Za-z0-9_\-]{20,512}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abpr]-[A-Za-z0-9\-]{10,250}|AIza[0-9A-Za-z_\-]{35})(?![A-Za-z0-9_\-])"#,
        aliases: ["github_token", "API_KEY", "secret_key"],
        triggers: [.prefixes(["sk-", "sk_", "rk_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_",
                              "github_pat_", "xoxa-", "xoxb-", "xoxp-", "xoxr-", "AIza"])],
        maskStyle: .secretPrefix)

    static let jwt = Detector(
        name: "jwt", label: "JWT",
        pattern: #"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{5,8192}\.eyJ[A-Za-z0-9_\-]{5,8192}\.[A-Za-z0-9_\-]{0,8192}(?![A-Za-z0-9_\-])"#,
        aliases: ["JWT", "json_web_token"],
        triggers: [.prefixes(["eyJ"])], maskStyle: .secretPrefix)

    static let urlCredentials = Detector(
        name: "url_credentials", label: "URL_CREDENTIALS",
        pattern: #"(?<=://)[^\s:/?#@\[\]"'<>]{0,128}:[^\s/"'<>]{1,256}(?=@[A-Za-z0-9.\-\[])"#,
        aliases: ["URL_CREDENTIALS", "basic_auth"],
        triggers: [.at], maskStyle: .credentials)
}
