/// Scrubs a streamed text (response deltas) chunk by chunk.
///
/// Feed each delta as it arrives; each call returns the text that is safe to emit now. A value
/// split across chunks (`jane@exa` + `mple.com`) is still caught: the scrubber holds back only
/// the shortest tail that could still become part of a match. It asks PCRE2 for hard partial
/// matches, so the tail is exactly what some detector's pattern could extend (usually the last
/// word, or a run of digits and separators). Placeholders of a tokenize session split across
/// chunks (`<EMA` + `IL_1>`) are held the same way and restored whole. Call ``finish()`` at the
/// end of the stream to flush the tail.
///
/// ```swift
/// var stream = scrubber.stream(direction: .response, session: session)
/// for try await delta in upstream {
///     let safe = try stream.feed(delta)          // ScrubOutcome<String>
///     guard let text = safe.output else { /* blocked: end the stream with an error */ }
///     emit(text)
/// }
/// emit(try stream.finish().output ?? "")
/// ```
///
/// One value per stream; not shared between tasks.
public struct StreamingScrubber: Sendable {
    /// The scrubber applied.
    public let scrubber: Scrubber
    /// The direction (usually `.response`).
    public let direction: ScrubDirection
    /// The tokenize vault, when the request had one.
    public let session: ScrubSession?

    /// The longest tail held back before it is scrubbed as if the stream ended there; bounds
    /// memory for endless token-like runs.
    public static let maximumHeldBytes = 64 * 1024
    /// Bytes of already-emitted text kept so lookbehinds see what came before.
    static let contextBytes = 64

    private var context: [UInt8] = []
    private var pending: [UInt8] = []
    private var restoreTail: [UInt8] = []
    private var verdict: BlockVerdict?
    private let fallbackSession = ScrubSession()

    init(scrubber: Scrubber, direction: ScrubDirection, session: ScrubSession?) {
        self.scrubber = scrubber
        self.direction = direction
        self.session = session
    }

    /// Adds a delta; returns the text safe to emit now (possibly empty) and what was found in
    /// it, or the block verdict (then and on every later call).
    /// - Throws: ``ScrubError`` `matchFailed`: end the stream with an error.
    public mutating func feed(_ delta: String) throws(ScrubError) -> ScrubOutcome<String> {
        try text(feed(utf8: Array(delta.utf8)))
    }

    /// Byte form of ``feed(_:)``. Output never ends inside a UTF-8 sequence.
    public mutating func feed(utf8 delta: [UInt8]) throws(ScrubError) -> ScrubOutcome<[UInt8]> {
        if let verdict { return .blocked(verdict) }
        pending.append(contentsOf: delta)
        return try process(final: pending.count > StreamingScrubber.maximumHeldBytes)
    }

    /// Ends the stream: scrubs and returns everything still held.
    public mutating func finish() throws(ScrubError) -> ScrubOutcome<String> {
        try text(finishUTF8())
    }

    /// Byte form of ``finish()``.
    public mutating func finishUTF8() throws(ScrubError) -> ScrubOutcome<[UInt8]> {
        if let verdict { return .blocked(verdict) }
        let outcome = try process(final: true)
        guard case .scrubbed(var output, let detections) = outcome else { return outcome }
        output.append(contentsOf: restoreTail)
        restoreTail = []
        return .scrubbed(output, detections: detections)
    }

    private func text(_ outcome: ScrubOutcome<[UInt8]>) -> ScrubOutcome<String> {
        switch outcome {
        case .blocked(let verdict): .blocked(verdict)
        case .scrubbed(let bytes, let detections):
            .scrubbed(String(decoding: bytes, as: UTF8.self), detections: detections)
        }
    }

    /// Scrubs the part of `pending` no match can still extend past, and emits it.
    private mutating func process(final: Bool) throws(ScrubError) -> ScrubOutcome<[UInt8]> {
        let buffer = context + pending
        let start = context.count
        let scrubber = self.scrubber, direction = self.direction
        let step: (safeEnd: Int, accepted: [Found]) = try buffer.withUnsafeBufferPointer { text throws(ScrubError) in
            var found: [Found]
            var safeEnd: Int
            do throws(PCRERegexError) {
                (found, safeEnd) = try scrubber.streamMatches(text, from: start, partial: !final, direction: direction)
            } catch {
                throw ScrubError(code: .matchFailed, message: "scrubbing failed: \(error)", cause: error)
            }
            if !final { safeEnd = min(safeEnd, StreamingScrubber.completeUTF8Prefix(text)) }
            // A match that straddles the cut is held whole; moving the cut can make another
            // match straddle it, so repeat until nothing does.
            var moved = true
            while moved {
                moved = false
                for match in found where match.start < safeEnd && match.end > safeEnd {
                    safeEnd = match.start
                    moved = true
                }
            }
            while safeEnd > start, safeEnd < text.count, text[safeEnd] & 0xC0 == 0x80 { safeEnd -= 1 }
            let accepted = scrubber.resolveOverlaps(found.filter { $0.end <= safeEnd })
            return (safeEnd, accepted)
        }

        if let blocked = scrubber.blockVerdict(step.accepted) {
            verdict = blocked
            pending = []
            return .blocked(blocked)
        }
        var output = restoreTail
        restoreTail = []
        buffer.withUnsafeBufferPointer { text in
            scrubber.render(text, range: start..<step.safeEnd, accepted: step.accepted,
                            session: session ?? fallbackSession, into: &output)
        }
        context = Array(buffer[max(0, step.safeEnd - StreamingScrubber.contextBytes)..<step.safeEnd])
        pending = Array(buffer[step.safeEnd...])

        if direction == .response, let session, session.count > 0 {
            let held = final && pending.isEmpty ? 0
                : output.withUnsafeBufferPointer { ScrubSession.placeholderPrefixSuffix(in: $0) }
            restoreTail = Array(output.suffix(held))
            output.removeLast(held)
            if let restored = output.withUnsafeBufferPointer({ session.restore(utf8: $0) }) {
                output = restored
            }
        }
        return .scrubbed(output, detections: scrubber.count(step.accepted))
    }
}

extension StreamingScrubber {
    /// Length of `text` without a trailing, incomplete UTF-8 sequence.
    static func completeUTF8Prefix(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var lead = text.count
        while lead > max(0, text.count - 4) {
            lead -= 1
            let byte = text[lead]
            if byte & 0xC0 == 0x80 { continue }
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            return lead + length > text.count ? lead : text.count
        }
        return text.count
    }
}

extension Scrubber {
    /// A streaming scrubber for one stream (usually a response: `direction: .response`).
    /// - Parameters:
    ///   - direction: `.response` skips `tokenize` detectors and restores placeholders.
    ///   - session: the request's tokenize vault, if any.
    public func stream(direction: ScrubDirection = .response, session: ScrubSession? = nil) -> StreamingScrubber {
        StreamingScrubber(scrubber: self, direction: direction, session: session)
    }
}
