/// An error from compiling or running a ``PCRERegex``.
///
/// `description` is safe to log and to show a user: it names the pattern problem, never the
/// subject text.
public struct PCRERegexError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case compileFailed = "compile_failed"
            case matchesEmpty = "matches_empty"
            case matchLimitExceeded = "match_limit_exceeded"
            case depthLimitExceeded = "depth_limit_exceeded"
            case matchFailed = "match_failed"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The pattern does not compile; ``PCRERegexError/offset`` says where.
        public static let compileFailed = Code(.compileFailed)
        /// The pattern can match the empty string.
        public static let matchesEmpty = Code(.matchesEmpty)
        /// Matching backtracked more than the match limit allows (catastrophic backtracking).
        public static let matchLimitExceeded = Code(.matchLimitExceeded)
        /// Matching nested deeper than the depth limit or the JIT stack allows.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// Any other PCRE2 matching error.
        public static let matchFailed = Code(.matchFailed)

        /// A short label-safe name, for metrics.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// PCRE2's message, e.g. "missing closing parenthesis".
    public let message: String
    /// The pattern concerned.
    public let pattern: String
    /// For `.compileFailed`: the byte offset in the pattern where PCRE2 gave up.
    public let offset: Int?

    init(code: Code, message: String, pattern: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.pattern = pattern
        self.offset = offset
    }

    public var description: String {
        if let offset { return "regex error at offset \(offset): \(message)" }
        return "regex error (\(code)): \(message)"
    }
}
