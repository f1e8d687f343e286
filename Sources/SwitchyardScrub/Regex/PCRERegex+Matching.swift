import CPCRE2

extension PCRERegex {
    /// Finds the first match at or after byte offset `start`.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text (any bytes; invalid UTF-8 simply does not match).
    ///   - start: offset where the search starts; lookbehinds may still look before it.
    /// - Returns: the byte range of the match, or `nil`.
    /// - Throws: ``PCRERegexError`` when the match or depth limit is hit.
    public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) throws(PCRERegexError) -> Range<Int>? {
        let scratch = MatchScratch()
        if case .match(let range) = try match(bytes, length: bytes.count, from: start, partial: false, scratch: scratch) {
            return range
        }
        return nil
    }

    /// All non-overlapping matches, left to right, as byte ranges.
    /// - Throws: ``PCRERegexError`` when the match or depth limit is hit.
    public func matches(in bytes: UnsafeBufferPointer<UInt8>) throws(PCRERegexError) -> [Range<Int>] {
        var result: [Range<Int>] = []
        try forEachMatch(in: bytes) { range in
            result.append(range)
            return true
        }
        return result
    }

    /// Calls `body` with each non-overlapping match in order until it returns `false`.
    /// - Throws: ``PCRERegexError`` when the match or depth limit is hit.
    public func forEachMatch(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (Range<Int>) -> Bool
    ) throws(PCRERegexError) {
        let scratch = MatchScratch()
        var position = 0
        while position <= bytes.count {
            guard case .match(let range) = try match(bytes, length: bytes.count, from: position,
                                                      partial: false, scratch: scratch) else { return }
            if !range.isEmpty, !body(range) { return }
            position = range.isEmpty ? range.lowerBound + 1 : range.upperBound
        }
    }

    /// Whether the pattern matches anywhere in `bytes`.
    public func isMatch(in bytes: UnsafeBufferPointer<UInt8>) throws(PCRERegexError) -> Bool {
        try firstMatch(in: bytes) != nil
    }

    /// All matches in a byte array.
    public func matches(in bytes: [UInt8]) throws(PCRERegexError) -> [Range<Int>] {
        try withBytes(bytes) { buffer throws(PCRERegexError) in try matches(in: buffer) }
    }

    /// Whether the pattern matches anywhere in `text` (matched as UTF-8, no copy for native strings).
    public func isMatch(in text: String) throws(PCRERegexError) -> Bool {
        try withUTF8(text) { buffer throws(PCRERegexError) in try isMatch(in: buffer) }
    }

    // MARK: - Engine

    /// The outcome of one match call.
    enum MatchResult {
        case none
        case match(Range<Int>)
        /// A partial match (only with `partial: true`): text from this offset could still match.
        case partial(Int)
    }

    /// One match call over `bytes[..<length]` starting at `start`.
    ///
    /// `partial` asks PCRE2 for a hard partial match: a match that reaches the end of the subject
    /// and could continue is reported as `.partial` instead of as a (possibly shorter) match.
    func match(
        _ bytes: UnsafeBufferPointer<UInt8>, length: Int, from start: Int,
        partial: Bool, scratch: MatchScratch
    ) throws(PCRERegexError) -> MatchResult {
        guard start <= length else { return .none }
        let subject = bytes.baseAddress ?? PCRERegex.emptySubject
        let matchOptions: UInt32 = partial ? PCRE2_PARTIAL_HARD : 0
        let rc: Int32
        if usesJIT && (!partial || usesPartialJIT) {
            rc = pcre2_jit_match_8(code, subject, length, start, matchOptions, scratch.data, matchContext)
        } else {
            rc = pcre2_match_8(code, subject, length, start, matchOptions, scratch.data, matchContext)
        }
        if rc >= 0 {
            let ovector = pcre2_get_ovector_pointer_8(scratch.data)!
            let lower = ovector[0], upper = ovector[1]
            return .match(lower..<max(lower, upper))
        }
        switch rc {
        case PCRE2_ERROR_NOMATCH:
            return .none
        case PCRE2_ERROR_PARTIAL:
            return .partial(pcre2_get_ovector_pointer_8(scratch.data)![0])
        case PCRE2_ERROR_MATCHLIMIT:
            throw PCRERegexError(code: .matchLimitExceeded, message: PCRERegex.errorMessage(rc), pattern: pattern)
        case PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_JIT_STACKLIMIT, PCRE2_ERROR_HEAPLIMIT:
            throw PCRERegexError(code: .depthLimitExceeded, message: PCRERegex.errorMessage(rc), pattern: pattern)
        default:
            throw PCRERegexError(code: .matchFailed, message: PCRERegex.errorMessage(rc), pattern: pattern)
        }
    }

    // Immutable one-byte buffer standing in for the NULL base address of an empty subject.
    nonisolated(unsafe) static let emptySubject: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()
}

/// Match data for one thread of work. Not shared: each scrub call or match call makes its own,
/// which is what makes a ``PCRERegex`` safe to use from many threads at once.
final class MatchScratch {
    let data: OpaquePointer

    init() {
        // One ovector pair is enough: only the whole-match range is ever read. With more capture
        // groups PCRE2 returns 0 ("ovector too small") but still fills pair 0.
        data = pcre2_match_data_create_8(1, nil)!
    }

    deinit { pcre2_match_data_free_8(data) }
}

func withBytes<R, E: Error>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    let result: Result<R, E> = bytes.withUnsafeBufferPointer { buffer in
        do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Runs `body` over the UTF-8 bytes of `text` (no copy for native strings), with typed throws.
func withUTF8<R, E: Error>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
    var text = text
    let result: Result<R, E> = text.withUTF8 { buffer in
        do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
}
