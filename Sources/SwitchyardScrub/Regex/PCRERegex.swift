import CPCRE2

/// A compiled PCRE2 regular expression that matches UTF-8 bytes.
///
/// The pattern is compiled once and JIT-compiled when the platform allows it; when it does not,
/// matching falls back to PCRE2's interpreter (see ``isJITAvailable`` and ``usesJIT`` so a
/// caller can log that once). Matching never converts to `String`: it works on the bytes and
/// reports byte ranges.
///
/// Every match runs under a match limit and a depth limit, so a pattern that backtracks
/// catastrophically stops with a thrown ``PCRERegexError`` (code `.matchLimitExceeded`)
/// instead of hanging the request: callers fail closed.
///
/// Patterns that can match the empty string are rejected at compile time, because a scrubber or
/// a condition built on them would "match" everywhere.
///
/// ```swift
/// let regex = try PCRERegex(#"\bEMP-\d{6}\b"#)
/// for range in try regex.matches(in: Array("ids EMP-123456, EMP-654321".utf8)) { … }
/// ```
public final class PCRERegex: Sendable {
    /// Compile options.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `(?i)`: ASCII case-insensitive (Unicode too with `.utf`).
        public static let caseInsensitive = Options(rawValue: PCRE2_CASELESS)
        /// `(?m)`: `^` and `$` match at line breaks.
        public static let multiline = Options(rawValue: PCRE2_MULTILINE)
        /// `(?s)`: `.` matches a newline.
        public static let dotAll = Options(rawValue: PCRE2_DOTALL)
        /// `(?x)`: whitespace and `#` comments in the pattern are ignored.
        public static let extended = Options(rawValue: PCRE2_EXTENDED)
        /// Treat the pattern and subject as UTF-8 (`.` is one character, not one byte).
        /// Invalid UTF-8 in a subject never matches and is not an error.
        public static let utf = Options(rawValue: PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
    }

    /// The default cap on backtracking steps per match call (PCRE2's `match_limit`).
    public static let defaultMatchLimit: UInt32 = 1_000_000
    /// The default cap on nested backtracking depth per match call (PCRE2's `depth_limit`;
    /// the JIT bounds depth with its own stack instead).
    public static let defaultDepthLimit: UInt32 = 100_000

    /// Whether this PCRE2 build has a JIT compiler for this CPU. When `false`, every regex runs
    /// in the (slower) interpreter; log it once at startup.
    public static let isJITAvailable: Bool = {
        var available: UInt32 = 0
        return pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &available) >= 0 && available == 1
    }()

    /// The source pattern.
    public let pattern: String
    /// The options it was compiled with.
    public let options: Options
    /// Whether this pattern was JIT-compiled (false when JIT is unavailable or failed for it).
    public let usesJIT: Bool
    /// Whether the JIT also supports partial matching (used by streaming scrubbers).
    let usesPartialJIT: Bool
    /// Number of capture groups in the pattern.
    public let captureCount: Int

    // Why `nonisolated(unsafe)` is safe here: the pointers are written only in `init` and freed
    // in `deinit`. PCRE2 takes compiled code and match contexts as `const` during matching, so
    // concurrent matches from many threads are safe; each match call owns its match data.
    nonisolated(unsafe) let code: OpaquePointer
    nonisolated(unsafe) let matchContext: OpaquePointer

    /// Compiles `pattern`.
    ///
    /// - Parameters:
    ///   - pattern: PCRE2 syntax. `(?C1)` / `(?C2)` call the built-in Luhn / IBAN mod-97
    ///     validators at that point of the match (see `docs/pii.md`).
    ///   - options: compile options; `.utf` by default.
    ///   - matchLimit: backtracking steps allowed per match call before it throws.
    ///   - depthLimit: nesting depth allowed per match call before it throws (interpreter only).
    /// - Throws: ``PCRERegexError`` with code `.compileFailed` (PCRE2's message and the byte
    ///   offset in the pattern) or `.matchesEmpty`.
    public init(
        _ pattern: String,
        options: Options = [.utf],
        matchLimit: UInt32 = PCRERegex.defaultMatchLimit,
        depthLimit: UInt32 = PCRERegex.defaultDepthLimit
    ) throws(PCRERegexError) {
        self.pattern = pattern
        self.options = options
        var errorCode: Int32 = 0
        var errorOffset = 0
        let utf8 = Array(pattern.utf8)
        let compiled = utf8.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress ?? PCRERegex.emptyPattern, buffer.count,
                            options.rawValue, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw PCRERegexError(code: .compileFailed, message: PCRERegex.errorMessage(errorCode),
                                 pattern: pattern, offset: errorOffset)
        }
        // MATCHEMPTY is PCRE2's own "might match an empty string" (it sees through lookarounds
        // such as `(?=x)`, which MINLENGTH counts as one character).
        var matchesEmpty: UInt32 = 0
        var minLength: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_MATCHEMPTY), &matchesEmpty)
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_MINLENGTH), &minLength)
        guard matchesEmpty == 0, minLength > 0 else {
            pcre2_code_free_8(compiled)
            throw PCRERegexError(code: .matchesEmpty,
                                 message: "pattern can match the empty string", pattern: pattern)
        }
        var captures: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        self.captureCount = Int(captures)

        if PCRERegex.isJITAvailable {
            let full = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD)
            if full == 0 {
                (usesJIT, usesPartialJIT) = (true, true)
            } else {
                (usesJIT, usesPartialJIT) = (pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0, false)
            }
        } else {
            (usesJIT, usesPartialJIT) = (false, false)
        }
        guard let context = pcre2_match_context_create_8(nil) else {
            pcre2_code_free_8(compiled)
            throw PCRERegexError(code: .compileFailed, message: "out of memory", pattern: pattern)
        }
        pcre2_set_match_limit_8(context, matchLimit)
        pcre2_set_depth_limit_8(context, depthLimit)
        pcre2_set_callout_8(context, builtInValidatorCallout, nil)
        self.code = compiled
        self.matchContext = context
    }

    deinit {
        pcre2_match_context_free_8(matchContext)
        pcre2_code_free_8(code)
    }

    // Immutable one-byte buffer standing in for the NULL base address of an empty pattern.
    nonisolated(unsafe) private static let emptyPattern: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    /// PCRE2's text for an error code.
    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }
}
