/// An error building or running a scrubber.
///
/// Building errors (`unknownDetector`, `invalidPattern`, `missingHashSecret`) are configuration
/// errors: report them with the YAML path. `matchFailed` happens per request when a pattern
/// exceeds its backtracking bound; the caller must fail closed (not send the text).
/// `description` never contains scrubbed text.
public struct ScrubError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownDetector = "unknown_detector"
            case invalidPattern = "invalid_pattern"
            case missingHashSecret = "missing_hash_secret"
            case matchFailed = "match_failed"
            case invalidContext = "invalid_context"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A `detect:` or `actions:` name is neither a built-in nor a custom pattern.
        public static let unknownDetector = Code(.unknownDetector)
        /// A custom pattern does not compile or can match the empty string.
        public static let invalidPattern = Code(.invalidPattern)
        /// An action is `hash` but no `hash_secret` is configured.
        public static let missingHashSecret = Code(.missingHashSecret)
        /// `context_languages` names a language without built-in words, or `context_words` names
        /// a detector that takes no context words.
        public static let invalidContext = Code(.invalidContext)
        /// Matching hit a backtracking limit.
        public static let matchFailed = Code(.matchFailed)

        /// A short label-safe name, for metrics.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A readable message.
    public let message: String
    /// The detector or pattern name concerned.
    public let detector: String?
    /// For `unknownDetector`: the closest known names.
    public let suggestions: [String]
    /// The underlying regex error, if any.
    public let cause: PCRERegexError?

    init(code: Code, message: String, detector: String? = nil, suggestions: [String] = [],
         cause: PCRERegexError? = nil) {
        self.code = code
        self.message = message
        self.detector = detector
        self.suggestions = suggestions
        self.cause = cause
    }

    public var description: String {
        var text = message
        if !suggestions.isEmpty {
            text += " (did you mean " + suggestions.map { "`\($0)`" }.joined(separator: " or ") + "?)"
        }
        return text
    }
}
