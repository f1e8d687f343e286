/// How many values of one detector a scrub call found. Never carries the values.
public struct Detection: Sendable, Hashable, CustomStringConvertible {
    /// Detector name (`email`, or the custom pattern's name).
    public let detector: String
    /// Type label (`EMAIL`).
    public let label: String
    /// Number of values found.
    public var count: Int

    public var description: String { "\(detector)×\(count)" }
}

/// A refusal: the text contained a value whose action is `block`.
public struct BlockVerdict: Sendable, Hashable, CustomStringConvertible {
    /// Detector name that fired.
    public let detector: String
    /// Its type label; safe to show the client ("content contains CREDIT_CARD").
    public let label: String

    public var description: String { "content contains \(label)" }
}

/// The result of scrubbing a text (or a streamed chunk).
public enum ScrubOutcome<Output: Sendable>: Sendable {
    /// The scrubbed text (the input itself when nothing was found) and what was found.
    case scrubbed(Output, detections: [Detection])
    /// A `block` detector fired; nothing may be sent.
    case blocked(BlockVerdict)

    /// The scrubbed text, or `nil` when blocked.
    public var output: Output? {
        if case .scrubbed(let output, _) = self { return output }
        return nil
    }

    /// What was found (empty when blocked).
    public var detections: [Detection] {
        if case .scrubbed(_, let detections) = self { return detections }
        return []
    }

    /// The verdict when blocked.
    public var blockVerdict: BlockVerdict? {
        if case .blocked(let verdict) = self { return verdict }
        return nil
    }
}

extension ScrubOutcome: Equatable where Output: Equatable {}
