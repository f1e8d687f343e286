/// A match of detector `detector` over `start..<end`.
struct Found: Sendable, Hashable {
    var start: Int
    var end: Int
    var detector: Int
}

extension Scrubber {
    /// Runs every active detector inside its prefilter windows (or over the whole text), then
    /// again over the decoded text when the text holds percent-, JSON- or HTML-escapes, with
    /// those matches mapped back to the escaped bytes.
    func findMatches(
        in text: UnsafeBufferPointer<UInt8>, direction: ScrubDirection, scratch: MatchScratch,
        into found: inout [Found]
    ) throws(PCRERegexError) {
        var hasEscapes = false
        try findPlainMatches(in: text, direction: direction, scratch: scratch, hasEscapes: &hasEscapes, into: &found)
        guard hasEscapes, let decoded = DecodedText(decoding: text) else { return }
        var inner: [Found] = []
        try withBytes(decoded.bytes) { bytes throws(PCRERegexError) in
            var ignored = false
            try findPlainMatches(in: bytes, direction: direction, scratch: scratch, hasEscapes: &ignored, into: &inner)
        }
        for match in inner {
            let range = decoded.originalRange(match.start..<match.end)
            found.append(Found(start: range.lowerBound, end: range.upperBound, detector: match.detector))
        }
    }

    private func findPlainMatches(
        in text: UnsafeBufferPointer<UInt8>, direction: ScrubDirection, scratch: MatchScratch,
        hasEscapes: inout Bool, into found: inout [Found]
    ) throws(PCRERegexError) {
        guard !text.isEmpty else { return }
        for detector in prefilter.anywhereDetectors where isActive(detector, direction) {
            try collect(detector, text, start: 0, coreEnd: text.count, subjectEnd: text.count,
                        scratch: scratch, into: &found)
        }
        for window in prefilter.windows(in: text, hasEscapes: &hasEscapes) {
            switch window.kind {
            case .at:
                for detector in prefilter.atDetectors where isActive(detector, direction) {
                    try collect(detector, text, window, scratch: scratch, into: &found)
                }
            case .digits(let count, let dots):
                for rule in prefilter.digitRules
                where count >= rule.minDigits && dots >= rule.minDots && isActive(rule.detector, direction) {
                    try collect(rule.detector, text, window, scratch: scratch, into: &found)
                    // The word check is cheaper than the pattern's callout: it goes first.
                    if let search = contextSearches[rule.detector], search.digitCounts.contains(count),
                       search.words.precede(text, window.start) {
                        try collect(rule.detector, text, start: window.start, coreEnd: window.coreEnd,
                                    subjectEnd: window.subjectEnd, regex: search.regex, scratch: scratch,
                                    into: &found) { search.words.precede(text, $0) }
                    }
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

    /// Matches of one detector's main pattern in one window, without those right after one of
    /// its veto words.
    @inline(__always)
    private func collect(
        _ detector: Int, _ text: UnsafeBufferPointer<UInt8>, _ window: Prefilter.Window,
        scratch: MatchScratch, into found: inout [Found]
    ) throws(PCRERegexError) {
        if let veto = vetoWords[detector] {
            try collect(detector, text, start: window.start, coreEnd: window.coreEnd,
                        subjectEnd: window.subjectEnd, scratch: scratch, into: &found) { !veto.precede(text, $0) }
        } else {
            try collect(detector, text, start: window.start, coreEnd: window.coreEnd,
                        subjectEnd: window.subjectEnd, scratch: scratch, into: &found)
        }
    }

    /// Matches of one detector (its main pattern, or `regex`) starting in `start..<coreEnd`,
    /// searching `text[..<subjectEnd]`, kept when `accept` allows their start.
    private func collect(
        _ detector: Int, _ text: UnsafeBufferPointer<UInt8>, start: Int, coreEnd: Int,
        subjectEnd: Int, regex: PCRERegex? = nil, scratch: MatchScratch, into found: inout [Found],
        accept: (Int) -> Bool = { _ in true }
    ) throws(PCRERegexError) {
        let regex = regex ?? regexes[detector]
        var position = start
        while position < coreEnd {
            guard case .match(let range) = try regex.match(text, length: subjectEnd, from: position,
                                                           partial: false, scratch: scratch),
                  range.lowerBound < coreEnd else { return }
            if !range.isEmpty, accept(range.lowerBound) {
                found.append(Found(start: range.lowerBound, end: range.upperBound, detector: detector))
            }
            position = range.isEmpty ? range.lowerBound + 1 : range.upperBound
        }
    }

    /// Merges overlapping matches into one replacement each, so a value is never half redacted:
    /// the union of the overlapping ranges is replaced, under the label of the match that starts
    /// first (then the longer, then the detector listed first). One exception keeps URLs
    /// readable: a match starting inside URL credentials and running past them (an e-mail
    /// pattern seeing `pw@example.com` in `bob:pw@example.com`) is the password's tail plus the
    /// host, and is dropped.
    func resolveOverlaps(_ found: [Found]) -> [Found] {
        let sorted = found.sorted { a, b in
            if a.start != b.start { return a.start < b.start }
            if a.end != b.end { return a.end > b.end }
            return a.detector < b.detector
        }
        var accepted: [Found] = []
        accepted.reserveCapacity(sorted.count)
        for match in sorted {
            guard var last = accepted.last, match.start < last.end else {
                accepted.append(match)
                continue
            }
            if last.detector == credentialsDetector, match.end > last.end { continue }
            last.end = max(last.end, match.end)
            accepted[accepted.count - 1] = last
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
        return resolveOverlaps(found)
    }
}
