/// A match of detector `detector` over `start..<end`.
struct Found: Sendable, Hashable {
    var start: Int
    var end: Int
    var detector: Int
}

extension Scrubber {
    /// Runs every active detector inside its prefilter windows (or over the whole text).
    func findMatches(
        in text: UnsafeBufferPointer<UInt8>, direction: ScrubDirection, scratch: MatchScratch,
        into found: inout [Found]
    ) throws(PCRERegexError) {
        guard !text.isEmpty else { return }
        for detector in prefilter.anywhereDetectors where isActive(detector, direction) {
            try collect(detector, text, start: 0, coreEnd: text.count, subjectEnd: text.count,
                        scratch: scratch, into: &found)
        }
        for window in prefilter.windows(in: text) {
            switch window.kind {
            case .at:
                for detector in prefilter.atDetectors where isActive(detector, direction) {
                    try collect(detector, text, window, scratch: scratch, into: &found)
                }
            case .digits(let count, let dots):
                for rule in prefilter.digitRules
                where count >= rule.minDigits && dots >= rule.minDots && isActive(rule.detector, direction) {
                    try collect(rule.detector, text, window, scratch: scratch, into: &found)
                }
            case .iban:
                for detector in prefilter.ibanDetectors where isActive(detector, direction) {
                    try collect(detector, text, window, scratch: scratch, into: &found)
                }
            case .colon:
                for detector in prefilter.colonDetectors where isActive(detector, direction) {
                    try collect(detector, text, window, scratch: scratch, into: &found)
                }
            case .prefix(let entry):
                for detector in prefilter.prefixEntries[entry].detectors where isActive(detector, direction) {
                    try collect(detector, text, window, scratch: scratch, into: &found)
                }
            }
        }
    }

    @inline(__always)
    private func collect(
        _ detector: Int, _ text: UnsafeBufferPointer<UInt8>, _ window: Prefilter.Window,
        scratch: MatchScratch, into found: inout [Found]
    ) throws(PCRERegexError) {
        try collect(detector, text, start: window.start, coreEnd: window.coreEnd,
                    subjectEnd: window.subjectEnd, scratch: scratch, into: &found)
    }

    /// Matches of one detector starting in `start..<coreEnd`, searching `text[..<subjectEnd]`.
    private func collect(
        _ detector: Int, _ text: UnsafeBufferPointer<UInt8>, start: Int, coreEnd: Int,
        subjectEnd: Int, scratch: MatchScratch, into found: inout [Found]
    ) throws(PCRERegexError) {
        let regex = regexes[detector]
        var position = start
        while position < coreEnd {
            guard case .match(let range) = try regex.match(text, length: subjectEnd, from: position,
                                                           partial: false, scratch: scratch),
                  range.lowerBound < coreEnd else { return }
            if !range.isEmpty {
                found.append(Found(start: range.lowerBound, end: range.upperBound, detector: detector))
            }
            position = range.isEmpty ? range.lowerBound + 1 : range.upperBound
        }
    }

    /// Keeps non-overlapping matches: the earliest start wins, then the longest, then the
    /// detector listed first.
    static func resolveOverlaps(_ found: [Found]) -> [Found] {
        let sorted = found.sorted { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end > b.end }
            return a.detector < b.detector
        }
        var accepted: [Found] = []
        accepted.reserveCapacity(sorted.count)
        var lastEnd = Int.min
        for match in sorted where match.start >= lastEnd {
            accepted.append(match)
            lastEnd = match.end
        }
        return accepted
    }

    /// The verdict of the first accepted match whose action is `block`.
    func blockVerdict(_ accepted: [Found]) -> BlockVerdict? {
        guard let blocking = accepted.first(where: { actions[$0.detector] == .block }) else { return nil }
        let detector = detectors[blocking.detector]
        return BlockVerdict(detector: detector.name, label: detector.label)
    }

    /// Per-detector counts, in detector order.
    func count(_ accepted: [Found]) -> [Detection] {
        var counts = [Int](repeating: 0, count: detectors.count)
        for match in accepted { counts[match.detector] += 1 }
        var detections: [Detection] = []
        for (index, count) in counts.enumerated() where count > 0 {
            detections.append(Detection(detector: detectors[index].name, label: detectors[index].label, count: count))
        }
        return detections
    }

    /// Appends `text[range]` to `output` with each accepted match (inside `range`) replaced.
    func render(
        _ text: UnsafeBufferPointer<UInt8>, range: Range<Int>, accepted: [Found],
        session: ScrubSession, into output: inout [UInt8]
    ) {
        var copied = range.lowerBound
        for match in accepted {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<match.start]))
            let value = UnsafeBufferPointer(rebasing: text[match.start..<match.end])
            appendReplacement(for: value, detector: match.detector, session: session, into: &output)
            copied = match.end
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<range.upperBound]))
    }
}

extension Scrubber {
    /// The accepted matches in `text` as (byte range, detector index), for tests and tools.
    func detect(utf8 text: UnsafeBufferPointer<UInt8>, direction: ScrubDirection = .request) throws(PCRERegexError) -> [Found] {
        var found: [Found] = []
        try findMatches(in: text, direction: direction, scratch: MatchScratch(), into: &found)
        return Scrubber.resolveOverlaps(found)
    }
}
