import CPCRE2

/// A PCRE2 regular expression for `when: {content: {regex: ...}}`, compiled (and JIT-compiled
/// when the platform allows) once when the configuration loads.
///
/// Kept minimal and private to the engine: compile with explicit lengths, match UTF-8 bytes with
/// a match limit so a pathological pattern fails closed (no match) instead of hanging a request.
public final class PCRE2Regex: Sendable {
    /// Why a pattern did not compile: PCRE2's message and the byte offset in the pattern.
    public struct CompileError: Error, Sendable {
        public var message: String
        public var offset: Int
    }

    public let pattern: String
    // `nonisolated(unsafe)` is safe: written once in `init`, freed in `deinit`; PCRE2 treats
    // compiled code and match contexts as read-only during matching, and each match owns its
    // match data, so concurrent matches are safe.
    nonisolated(unsafe) private let code: OpaquePointer
    nonisolated(unsafe) private let context: OpaquePointer?

    /// Compiles `pattern` as UTF-8 (invalid UTF-8 in subjects never matches).
    /// - Throws: `CompileError` with PCRE2's message and offset.
    public init(_ pattern: String) throws(CompileError) {
        self.pattern = pattern
        let bytes = Array(pattern.utf8)
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var message = [UInt8](repeating: 0, count: 256)
            let length = pcre2_get_error_message_8(errorCode, &message, message.count)
            throw CompileError(message: String(decoding: message.prefix(max(0, Int(length))), as: UTF8.self), offset: errorOffset)
        }
        code = compiled
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        context = pcre2_match_context_create_8(nil)
        if let context { pcre2_set_match_limit_8(context, 1_000_000) }
    }

    deinit {
        if let context { pcre2_match_context_free_8(context) }
        pcre2_code_free_8(code)
    }

    /// Whether the pattern matches anywhere in `text`. A match that hits the limit counts as no match.
    public func matches(_ text: String) -> Bool {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else { return false }
        defer { pcre2_match_data_free_8(data) }
        var text = text
        let rc = text.withUTF8 { utf8 in
            pcre2_match_8(code, utf8.baseAddress, utf8.count, 0, 0, data, context)
        }
        return rc >= 0
    }
}
