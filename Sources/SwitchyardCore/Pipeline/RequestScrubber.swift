public import NIOCore

/// The engine's view of a scrubber (a PII policy declared under `scrubbers:`).
///
/// The pipeline compiles `scrub: NAME` against this protocol only; the implementation is supplied
/// by a `ScrubberFactory` given to `GatewayProgram.init(config:scrubbers:)`. Without a factory a
/// `scrub` stage does not compile — a PII policy is never silently skipped.
public protocol RequestScrubber: Sendable {
    /// Scrubs the request in place before it goes upstream.
    /// - Returns: what changed, for `explain` and logs (never the scrubbed values themselves),
    ///   and the filter its answer must pass through when the policy covers responses (or
    ///   tokenizes, so placeholders must be restored).
    /// - Throws: `GatewayError` to refuse the request (a `block` action, or a scrub that could not
    ///   finish: requests fail closed, never go upstream unscrubbed).
    func scrub(_ request: inout ChatRequest) throws(GatewayError) -> ScrubReport
}

/// What one scrub stage did to a request, and what it asks of the response.
public struct ScrubReport: Sendable {
    public var summary: ScrubSummary
    /// Applied to the upstream's answer, streamed or not; nil when the policy leaves it alone.
    public var responseFilter: (any ResponseFilter)?

    public init(summary: ScrubSummary = ScrubSummary(), responseFilter: (any ResponseFilter)? = nil) {
        self.summary = summary
        self.responseFilter = responseFilter
    }
}

/// Rewrites an upstream answer before it reaches the client (response scrubbing, restoring
/// tokenized values). One instance serves one request.
public protocol ResponseFilter: Sendable {
    /// Filters a complete `chat.completion` body.
    /// - Throws: `GatewayError` when the answer cannot be passed on safely (fail closed).
    func filter(body: ByteBuffer) throws(GatewayError) -> ByteBuffer
    /// Filters an OpenAI SSE stream as it flows; failures end it with an error event.
    func filter(stream: ByteStream) -> ByteStream
}

/// What one scrub stage did to a request: counts by detector, no values.
public struct ScrubSummary: Sendable, Equatable {
    /// Detector name → number of replacements (`email: 2`).
    public var replacements: [String: Int]

    public init(replacements: [String: Int] = [:]) {
        self.replacements = replacements
    }

    public var isEmpty: Bool { replacements.isEmpty }
}

/// Builds scrubbers from their `scrubbers.NAME` settings when a program is compiled.
public protocol ScrubberFactory: Sendable {
    /// - Returns: the scrubber, or a message describing what is wrong with `settings`
    ///   (reported at the scrubber's line and column).
    func makeScrubber(name: String, settings: JSONObject) -> Result<any RequestScrubber, ScrubberSettingsError>
}

/// A problem in a scrubber's settings, reported as a compile error.
public struct ScrubberSettingsError: Error, Sendable {
    public var message: String
    /// The key at fault, relative to the scrubber (`detect[2]`); nil for the scrubber as a whole.
    public var key: String?

    public init(_ message: String, key: String? = nil) {
        self.message = message
        self.key = key
    }
}
