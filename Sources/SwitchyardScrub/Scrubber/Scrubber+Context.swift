/// A detector's context pattern with the words that must precede its matches.
///
/// A class: it is looked up for every long digit run, and one reference is cheaper to pass
/// around than a struct of four.
final class ContextSearch: Sendable {
    let regex: PCRERegex
    let words: ContextWords
    let digitCounts: ClosedRange<Int>

    init(regex: PCRERegex, words: ContextWords, digitCounts: ClosedRange<Int>) {
        self.regex = regex
        self.words = words
        self.digitCounts = digitCounts
    }
}

extension Scrubber {
    /// The context searches of `detectors`, from the spec's languages and extra words.
    /// - Throws: ``ScrubError`` `invalidContext` for a language without built-in words or extra
    ///   words for a detector that takes none.
    static func contextSearches(_ detectors: [Detector], _ spec: ScrubberSpec) throws(ScrubError) -> [ContextSearch?] {
        for language in spec.contextLanguages where !ContextWords.builtInLanguages.contains(language) {
            throw ScrubError(code: .invalidContext,
                             message: "`context_languages` has `\(language)`; built-in words exist for "
                                + ContextWords.builtInLanguages.joined(separator: ", "))
        }
        var extra: [String: [String]] = [:]
        for (name, words) in spec.contextWords {
            guard let detector = Detector.named(name), detector.context != nil, detectors.contains(detector) else {
                throw ScrubError(code: .invalidContext,
                                 message: "`context_words` names `\(name)`; only phone and us_ssn take context words",
                                 detector: name)
            }
            extra[detector.name, default: []] += words
        }
        return detectors.map { detector in
            guard let rule = detector.context, let regex = compiledContextPatterns[detector.name] else { return nil }
            let words = spec.contextLanguages.flatMap { ContextWords.builtIn(rule.topic, language: $0) }
                + extra[detector.name, default: []]
            return words.isEmpty ? nil : ContextSearch(regex: regex, words: ContextWords(words), digitCounts: rule.digitCounts)
        }
    }

    /// The words that drop each detector's matches (``Detector/notAfter``), in the spec's
    /// languages, as whole words. Only the word right before the match counts: `build server
    /// 10.0.0.1` names a host, `build 10.0.0.1` a version.
    static func vetoWords(_ detectors: [Detector], _ spec: ScrubberSpec) -> [ContextWords?] {
        detectors.map { detector in
            let words = detector.notAfter.flatMap { topic in
                spec.contextLanguages.flatMap { ContextWords.builtIn(topic, language: $0) }
            }
            return words.isEmpty ? nil : ContextWords(words, wordsBetween: 0, wholeWords: true)
        }
    }
}
