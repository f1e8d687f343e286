extension Scrubber {
    /// The matches a stream's buffer holds from `start` on, and where the text that some pattern
    /// could still extend begins (`text.count` when nothing needs holding back).
    ///
    /// Every active detector runs with PCRE2 hard partial matching (no prefilter: partial
    /// matching needs the real patterns), context patterns included; when the buffer holds
    /// escapes the decoded buffer is searched too, and an escape cut at the end (`%4`) is held
    /// with the token it ends.
    func streamMatches(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, partial: Bool, direction: ScrubDirection
    ) throws(PCRERegexError) -> (found: [Found], holdFrom: Int) {
        let scratch = MatchScratch()
        var found: [Found] = []
        var hold = text.count
        try streamSearch(text, from: start, partial: partial, direction: direction, scratch: scratch,
                         found: &found, hold: &hold)
        if let decoded = DecodedText(decoding: text) {
            var inner: [Found] = []
            var innerHold = decoded.bytes.count
            try withBytes(decoded.bytes) { bytes throws(PCRERegexError) in
                try streamSearch(bytes, from: decoded.decodedOffset(of: start), partial: partial,
                                 direction: direction, scratch: scratch, found: &inner, hold: &innerHold)
            }
            for match in inner {
                let range = decoded.originalRange(match.start..<match.end)
                found.append(Found(start: range.lowerBound, end: range.upperBound, detector: match.detector))
            }
            hold = min(hold, decoded.originalOffset(innerHold))
        }
        // An escape cut at the end (`bob\u00`) may complete a value that starts before it: hold
        // the whole token.
        if partial, let cut = DecodedText.incompleteEscape(in: text, from: start) {
            hold = min(hold, max(start, scanBack(text, from: cut, limit: 512, while: isTokenByte)))
        }
        return (found, max(start, hold))
    }

    private func streamSearch(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, partial: Bool, direction: ScrubDirection,
        scratch: MatchScratch, found: inout [Found], hold: inout Int
    ) throws(PCRERegexError) {
        for detector in detectors.indices where isActive(detector, direction) {
            let veto = vetoWords[detector]
            try streamSearch(regexes[detector], detector, text, from: start, partial: partial, scratch: scratch,
                             found: &found, hold: &hold) { veto?.precede(text, $0) != true }
            if let search = contextSearches[detector] {
                try streamSearch(search.regex, detector, text, from: start, partial: partial, scratch: scratch,
                                 found: &found, hold: &hold) { search.words.precede(text, $0) }
            }
        }
    }

    /// One pattern's matches from `start` (those at offsets `accept` allows) and partial match.
    private func streamSearch(
        _ regex: PCRERegex, _ detector: Int, _ text: UnsafeBufferPointer<UInt8>, from start: Int,
        partial: Bool, scratch: MatchScratch, found: inout [Found], hold: inout Int,
        accept: (Int) -> Bool = { _ in true }
    ) throws(PCRERegexError) {
        var position = start
        while position < text.count {
            switch try regex.match(text, length: text.count, from: position, partial: partial, scratch: scratch) {
            case .none:
                return
            case .partial(let partialStart):
                if accept(partialStart) { hold = min(hold, partialStart) }
                return
            case .match(let range):
                if !range.isEmpty, accept(range.lowerBound) {
                    found.append(Found(start: range.lowerBound, end: range.upperBound, detector: detector))
                }
                position = range.isEmpty ? range.lowerBound + 1 : range.upperBound
            }
        }
    }
}
