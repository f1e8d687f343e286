/// A compiled, immutable PII scrubber, built once from a ``ScrubberSpec`` at startup and shared
/// by every request.
///
/// ```swift
/// let scrubber = try Scrubber(ScrubberSpec(action: .redact))
/// let outcome = try scrubber.scrub("write to jane@example.com")
/// outcome.output        // "write to [EMAIL]"
/// outcome.detections    // [EMAIL×1]
/// ```
///
/// For `tokenize`, pass one ``ScrubSession`` per request to the request scrub and to the
/// response scrub (or the ``StreamingScrubber``) so placeholders are restored.
public struct Scrubber: Sendable {
    /// The specification this scrubber was compiled from.
    public let spec: ScrubberSpec
    /// The resolved detectors, built-ins first (in ``Detector/builtIns`` order), then custom
    /// patterns sorted by name.
    public let detectors: [Detector]
    /// The action applied to each detector, parallel to ``detectors``.
    public let actions: [ScrubAction]

    /// Where the scrubber applies (from the spec).
    public var scope: ScrubScope { spec.scope }
    /// Whether any detector tokenizes (so a ``ScrubSession`` is worth creating).
    public var usesTokenize: Bool { actions.contains(.tokenize) }

    let regexes: [PCRERegex]
    /// Per detector: the pattern for values that count only after a context word, and the words.
    let contextSearches: [ContextSearch?]
    /// Per detector: words that, right before a match, drop it (``Detector/notAfter``).
    let vetoWords: [ContextWords?]
    /// The index of `url_credentials`, whose matches keep the host readable (see
    /// ``resolveOverlaps(_:)``).
    let credentialsDetector: Int?
    let prefilter: Prefilter
    let replacements: [[UInt8]]
    /// HMAC key bytes for `hash` (kept as bytes: `SymmetricKey` is not `Sendable` here).
    let hashKey: [UInt8]?

    /// Compiles `spec`: resolves names and aliases, compiles and JIT-compiles every pattern.
    /// - Throws: ``ScrubError`` (`unknownDetector` with suggestions, `invalidPattern` with the
    ///   PCRE2 message and offset, `missingHashSecret`). Every problem is found here, never per
    ///   request.
    public init(_ spec: ScrubberSpec) throws(ScrubError) {
        self.spec = spec
        var chosen: [Detector] = []
        for name in spec.detectors {
            guard let detector = Detector.named(name) else {
                throw ScrubError(code: .unknownDetector, message: "unknown detector `\(name)`",
                                 detector: name, suggestions: Detector.suggestions(for: name))
            }
            if !chosen.contains(detector) { chosen.append(detector) }
        }
        chosen.sort { a, b in
            Detector.builtIns.firstIndex(of: a)! < Detector.builtIns.firstIndex(of: b)!
        }
        for (name, pattern) in spec.patterns.sorted(by: { $0.key < $1.key }) {
            if Detector.named(name) != nil {
                throw ScrubError(code: .invalidPattern,
                                 message: "custom pattern `\(name)` has the name of a built-in detector",
                                 detector: name)
            }
            chosen.append(.custom(name: name, pattern: pattern))
        }

        var regexes: [PCRERegex] = []
        for detector in chosen {
            do {
                regexes.append(try Scrubber.compile(detector))
            } catch {
                let offset = error.offset.map { " at offset \($0)" } ?? ""
                throw ScrubError(code: .invalidPattern,
                                 message: "pattern `\(detector.name)`\(offset): \(error.message)",
                                 detector: detector.name, cause: error)
            }
        }

        var actions = chosen.map { _ in spec.action }
        for (name, action) in spec.actions {
            let target = chosen.firstIndex { $0.name == name }
                ?? Detector.named(name).flatMap { builtIn in chosen.firstIndex(of: builtIn) }
            guard let target else {
                let known = chosen.map(\.name)
                throw ScrubError(code: .unknownDetector,
                                 message: "`actions` names `\(name)`, which this scrubber does not detect",
                                 detector: name, suggestions: Detector.suggestions(for: name).filter(known.contains))
            }
            actions[target] = action
        }

        if actions.contains(.hash) {
            guard let secret = spec.hashSecret, !secret.isEmpty else {
                throw ScrubError(code: .missingHashSecret,
                                 message: "action `hash` needs a non-empty `hash_secret`")
            }
            hashKey = Array(secret.utf8)
        } else {
            hashKey = nil
        }

        self.detectors = chosen
        self.actions = actions
        self.regexes = regexes
        self.contextSearches = try Scrubber.contextSearches(chosen, spec)
        self.vetoWords = Scrubber.vetoWords(chosen, spec)
        self.credentialsDetector = chosen.firstIndex(of: .urlCredentials)
        self.replacements = chosen.map { Array("[\($0.label)]".utf8) }
        self.prefilter = Prefilter(chosen)
    }

    /// Built-in patterns are ASCII and matched byte-wise (faster than UTF mode); the compiled
    /// built-ins are shared by every scrubber.
    private static func compile(_ detector: Detector) throws(PCRERegexError) -> PCRERegex {
        if !detector.isCustom, let shared = compiledBuiltIns[detector.name] { return shared }
        return try PCRERegex(detector.pattern, options: [.utf])
    }

    private static let compiledBuiltIns: [String: PCRERegex] = {
        var table: [String: PCRERegex] = [:]
        for detector in Detector.builtIns {
            // Built-in patterns are tested; a failure here is a programming error.
            table[detector.name] = try! PCRERegex(detector.pattern, options: [])
        }
        return table
    }()

    /// Compiled context patterns of the built-ins, by detector name.
    static let compiledContextPatterns: [String: PCRERegex] = {
        var table: [String: PCRERegex] = [:]
        for detector in Detector.builtIns {
            if let rule = detector.context { table[detector.name] = try! PCRERegex(rule.pattern, options: []) }
        }
        return table
    }()

    /// Whether detector `index` runs in `direction` (tokenized values are restored, not
    /// re-detected, in responses).
    func isActive(_ index: Int, _ direction: ScrubDirection) -> Bool {
        direction == .request || actions[index] != .tokenize
    }
}

extension Scrubber {
    /// Scrubs `text`.
    ///
    /// - Parameters:
    ///   - text: the message text.
    ///   - direction: `.request` applies every action; `.response` skips `tokenize` detectors
    ///     and restores the session's placeholders.
    ///   - session: the request's tokenize vault; without one, `tokenize` still replaces values
    ///     but they cannot be restored.
    /// - Returns: the scrubbed text (the same string when nothing was found) with detections,
    ///   or a block verdict.
    /// - Throws: ``ScrubError`` `matchFailed` when a pattern exceeds its backtracking bound:
    ///   fail closed.
    public func scrub(
        _ text: String, direction: ScrubDirection = .request, session: ScrubSession? = nil
    ) throws(ScrubError) -> ScrubOutcome<String> {
        let result = try withUTF8(text) { bytes throws(ScrubError) in
            try run(bytes, direction: direction, session: session)
        }
        switch result {
        case .blocked(let verdict):
            return .blocked(verdict)
        case .scrubbed(let output, let detections):
            guard let output else { return .scrubbed(text, detections: detections) }
            return .scrubbed(String(decoding: output, as: UTF8.self), detections: detections)
        }
    }

    /// Scrubs UTF-8 bytes; same contract as ``scrub(_:direction:session:)``.
    public func scrub(
        utf8 text: UnsafeBufferPointer<UInt8>, direction: ScrubDirection = .request,
        session: ScrubSession? = nil
    ) throws(ScrubError) -> ScrubOutcome<[UInt8]> {
        switch try run(text, direction: direction, session: session) {
        case .blocked(let verdict):
            return .blocked(verdict)
        case .scrubbed(let output, let detections):
            return .scrubbed(output ?? Array(text), detections: detections)
        }
    }

    /// One pass: prefilter, match, resolve overlaps, rewrite. `nil` output means unchanged.
    func run(
        _ text: UnsafeBufferPointer<UInt8>, direction: ScrubDirection, session: ScrubSession?
    ) throws(ScrubError) -> ScrubOutcome<[UInt8]?> {
        let scratch = MatchScratch()
        var found: [Found] = []
        do {
            try findMatches(in: text, direction: direction, scratch: scratch, into: &found)
        } catch {
            throw ScrubError(code: .matchFailed, message: "scrubbing failed: \(error)", cause: error)
        }
        var output: [UInt8] = []
        var rewritten = false
        var detections: [Detection] = []
        if !found.isEmpty {
            let accepted = resolveOverlaps(found)
            if let verdict = blockVerdict(accepted) { return .blocked(verdict) }
            output.reserveCapacity(text.count + 16 * accepted.count)
            render(text, range: 0..<text.count, accepted: accepted, session: session ?? ScrubSession(), into: &output)
            detections = count(accepted)
            rewritten = true
        }
        if direction == .response, let session, session.count > 0 {
            let restored: [UInt8]?
            if rewritten {
                restored = output.withUnsafeBufferPointer { session.restore(utf8: $0) }
            } else {
                restored = session.restore(utf8: text)
            }
            if let restored {
                output = restored
                rewritten = true
            }
        }
        return .scrubbed(rewritten ? output : nil, detections: detections)
    }
}
