/// The plain configuration of a scrubber, before it is compiled into a ``Scrubber``.
///
/// Keys of a `scrubbers:` entry in the pipeline DSL:
/// - `detect` → ``detectors``: built-in detector names or aliases (see ``Detector/allNames``).
/// - `patterns` → ``patterns``: custom detectors, name → PCRE2 pattern.
/// - `action` → ``action``: the default action.
/// - `actions` → ``actions``: per-detector overrides, keyed by detector name, alias or custom name.
/// - `scope` → ``scope``: `request`, `response` or both.
/// - `hash_secret` → ``hashSecret``: HMAC key, required when any action is `hash`.
/// - `context_languages` → ``contextLanguages``: languages whose built-in context words apply.
/// - `context_words` → ``contextWords``: more context words, per detector (`phone`, `us_ssn`).
public struct ScrubberSpec: Sendable, Hashable {
    /// Built-in detector names or aliases. Defaults to ``Detector/defaultNames``.
    public var detectors: [String]
    /// Custom detectors: name → PCRE2 pattern (UTF mode). The label is the upper-cased name.
    public var patterns: [String: String]
    /// The action for every detector without an override.
    public var action: ScrubAction
    /// Per-detector action overrides.
    public var actions: [String: ScrubAction]
    /// Where the scrubber applies.
    public var scope: ScrubScope
    /// Secret for the `hash` action.
    public var hashSecret: String?
    /// Languages whose built-in context words (`phone`, `Telefon`, `SSN` …) let `phone` and
    /// `us_ssn` find bare digits, and whose version words (`version`, `build`) keep `ipv4` off
    /// version numbers: any of `en de fr es it nl pt sv da no pl zh ja ko ar`. Defaults to all
    /// of them.
    public var contextLanguages: [String]
    /// Extra context words per detector name or alias, added to the built-in ones.
    public var contextWords: [String: [String]]

    public init(
        detectors: [String] = Detector.defaultNames,
        patterns: [String: String] = [:],
        action: ScrubAction = .redact,
        actions: [String: ScrubAction] = [:],
        scope: ScrubScope = [.request],
        hashSecret: String? = nil,
        contextLanguages: [String] = ScrubberSpec.builtInContextLanguages,
        contextWords: [String: [String]] = [:]
    ) {
        self.detectors = detectors
        self.patterns = patterns
        self.action = action
        self.actions = actions
        self.scope = scope
        self.hashSecret = hashSecret
        self.contextLanguages = contextLanguages
        self.contextWords = contextWords
    }

    /// The languages with built-in context words.
    public static let builtInContextLanguages = ContextWords.builtInLanguages
}
