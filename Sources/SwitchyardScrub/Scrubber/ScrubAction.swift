/// What a scrubber does with a detected value.
public enum ScrubAction: String, Sendable, Hashable, CaseIterable {
    /// Replace with the type label: `jane@example.com` → `[EMAIL]`.
    case redact
    /// Keep a hint: `j***@e******.com`, `****-****-****-1234`, `sk-****`, `192.168.*.*`.
    case mask
    /// Replace with a keyed, stable digest: `[EMAIL:3f9a1c2b]` (HMAC-SHA256 with the
    /// scrubber's secret, first 4 bytes in hex). Equal values give equal digests.
    case hash
    /// Refuse the whole text: the outcome is a ``BlockVerdict`` naming the type, never the value.
    case block
    /// Replace with a numbered placeholder (`<EMAIL_1>`) remembered in the request's
    /// ``ScrubSession``, and put the original back into the response.
    case tokenize
}

/// Which direction of traffic a scrubber applies to.
public struct ScrubScope: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Text sent upstream (messages, prompt).
    public static let request = ScrubScope(rawValue: 1)
    /// Text coming back (completion, streamed deltas).
    public static let response = ScrubScope(rawValue: 2)
}

/// The direction of one scrub call.
public enum ScrubDirection: Sendable, Hashable {
    /// Apply every action; `tokenize` records values in the session.
    case request
    /// Apply every action except `tokenize`, then put tokenized originals back (restore).
    case response
}
