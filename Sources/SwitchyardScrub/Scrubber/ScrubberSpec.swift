/// The plain configuration of a scrubber, before it is compiled into a ``Scrubber``.
///
/// Keys of a `scrubbers:` entry in the pipeline DSL:
/// - `detect` → ``detectors``: built-in detector names or aliases (see ``Detector/allNames``).
/// - `patterns` → ``patterns``: custom detectors, name → PCRE2 pattern.
/// - `action` → ``action``: the default action.
/// - `actions` → ``actions``: per-detector overrides, keyed by detector name, alias or custom name.
/// - `scope` → ``scope``: `request`, `response` or both.
/// - `hash_secret` → ``hashSecret``: HMAC key, required when any action is `hash`.
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

    public init(
        detectors: [String] = Detector.defaultNames,
        patterns: [String: String] = [:],
        action: ScrubAction = .redact,
        actions: [String: ScrubAction] = [:],
        scope: ScrubScope = [.request],
        hashSecret: String? = nil
    ) {
        self.detectors = detectors
        self.patterns = patterns
        self.action = action
        self.actions = actions
        self.scope = scope
        self.hashSecret = hashSecret
    }
}
