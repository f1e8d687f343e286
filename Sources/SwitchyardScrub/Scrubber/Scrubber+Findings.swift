/// Where a scrubber found a value: the UTF-8 byte range and the detector. Never the value.
public struct Finding: Sendable, Hashable {
    /// UTF-8 byte offsets in the scrubbed text (an encoded value's whole encoded form).
    public let range: Range<Int>
    /// The detector's name (`phone`).
    public let detector: String
    /// Its label (`PHONE`).
    public let label: String
}

extension Scrubber {
    /// The values `scrub` would replace, as byte ranges (after overlaps are merged), for
    /// evaluation tools that compare them with labelled data.
    /// - Throws: ``ScrubError`` `matchFailed` when a pattern exceeds its backtracking bound.
    public func findings(in text: String, direction: ScrubDirection = .request) throws(ScrubError) -> [Finding] {
        let found = try withUTF8(text) { bytes throws(ScrubError) in
            do throws(PCRERegexError) {
                return try detect(utf8: bytes, direction: direction)
            } catch {
                throw ScrubError(code: .matchFailed, message: "scrubbing failed: \(error)", cause: error)
            }
        }
        return found.map { Finding(range: $0.start..<$0.end, detector: detectors[$0.detector].name,
                                   label: detectors[$0.detector].label) }
    }
}
