/// A named kind of sensitive value and the PCRE2 pattern that finds it.
///
/// Built-in detectors are looked up by name or alias with ``named(_:)``; custom ones come from a
/// scrubber's `patterns:` map via ``custom(name:pattern:)``. A detector is a description only;
/// ``Scrubber`` compiles the patterns.
///
/// ```swift
/// Detector.named("EMAIL_ADDRESS")?.name   // "email"
/// Detector.named("visa")?.label           // "CREDIT_CARD"
/// ```
public struct Detector: Sendable, Hashable, CustomStringConvertible {
    /// Canonical name, as written in `detect:` (e.g. `credit_card`).
    public let name: String
    /// Type label used in replacements and detections (e.g. `CREDIT_CARD` → `[CREDIT_CARD]`).
    public let label: String
    /// The PCRE2 pattern (built-ins are ASCII patterns matched byte-wise).
    public let pattern: String
    /// Other names that resolve to this detector (LiteLLM prebuilt names, Presidio entities).
    public let aliases: [String]
    /// Whether this is a custom pattern from the configuration.
    public let isCustom: Bool

    /// Where the scrubber looks for candidates before running the pattern (its prefilter).
    let triggers: [Trigger]
    /// How `mask` keeps a hint of the value.
    let maskStyle: MaskStyle
    /// A second pattern whose matches count only right after a context word (bare digits).
    let context: ContextRule?
    /// Words that, right before a match, say it is something else (`version 10.4.12.8`,
    /// `Order 13812345678`): such matches are dropped.
    let notAfter: [ContextWords.Topic]

    init(name: String, label: String, pattern: String, aliases: [String] = [],
         triggers: [Trigger], maskStyle: MaskStyle, context: ContextRule? = nil,
         notAfter: [ContextWords.Topic] = [], isCustom: Bool = false) {
        self.name = name
        self.label = label
        self.pattern = pattern
        self.aliases = aliases
        self.triggers = triggers
        self.maskStyle = maskStyle
        self.context = context
        self.notAfter = notAfter
        self.isCustom = isCustom
    }

    /// Values a detector finds only after a context word (`SSN 123456789`): the pattern for them
    /// and which words announce them.
    struct ContextRule: Hashable, Sendable {
        let pattern: String
        let topic: ContextWords.Topic
        /// Digits a prefilter window needs before the words are looked for (a bare SSN has 9).
        let digitCounts: ClosedRange<Int>
    }

    /// A detector for a configured pattern. Its label is the name upper-cased, other characters
    /// than ASCII letters and digits as `_` (`employee_id` → `EMPLOYEE_ID`); the pattern is compiled in UTF mode and searched over
    /// the whole text.
    public static func custom(name: String, pattern: String) -> Detector {
        // Labels appear in placeholders (`<LABEL_1>`), which are `[A-Z][A-Z0-9_]*`.
        var label = String(name.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if !(label.first.map { $0.isASCII && $0.isLetter } ?? false) { label = "X_" + label }
        return Detector(name: name, label: label, pattern: pattern, triggers: [.anywhere],
                        maskStyle: .lastFour, isCustom: true)
    }

    public var description: String { name }

    /// A cheap byte-level condition under which the pattern can match near a position.
    enum Trigger: Hashable, Sendable {
        /// Around an `@` (e-mail addresses, URL credentials).
        case at
        /// Around a cluster of digits (digits joined by at most two of ` -.()/`), when it has at
        /// least `minDigits` digits and `minDots` dots.
        case digits(minDigits: Int, minDots: Int)
        /// Two capitals directly before a digit, at a word start (IBAN country code).
        case ibanStart
        /// Around a `:` followed by a hex digit or another `:` (IPv6).
        case colon
        /// A literal prefix at a word start (API keys, JWTs).
        case prefixes([String])
        /// No prefilter: the pattern is searched over the whole text.
        case anywhere
    }

    /// How `mask` renders a value.
    enum MaskStyle: Hashable, Sendable {
        case email          // j***@e******.com
        case lastFour       // ***-**-6789, ****-****-****-1234
        case secretPrefix   // sk-****, AKIA****
        case ipv4           // 192.168.*.*
        case ipv6           // 2001:db8:*
        case credentials    // u***:****
    }
}
