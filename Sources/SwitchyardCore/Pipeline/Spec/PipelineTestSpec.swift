/// One entry of a config's `tests:` section, run by `switchyard test` without a network.
///
/// ```yaml
/// tests:
///   - name: research goes to GPT
///     request: {model: gpt-4o, headers: {x-team: research}, user: u-17, content: hi}
///     upstream: {openai/gpt-4o: 503}        # simulated failures, by target label
///     expect: {path: [main, research], target: openai/gpt-4o|azure/gpt-4, arm: control}
/// ```
public struct PipelineTestSpec: Sendable {
    public var name: String
    public var mark: SourceMark
    /// The request body (`headers` and `key` removed; `content` expanded into `messages`).
    public var request: JSONObject
    public var headers: [(name: String, value: String)] = []
    public var key: String?
    /// Target label → how the simulated upstream fails: an HTTP status (`503`) or a class
    /// (`timeout`, `connect`, `context_window`, `content_policy`, `rate_limit`).
    public var failing: [String: String] = [:]
    public var expect: Expectation

    public init(name: String, mark: SourceMark, request: JSONObject, expect: Expectation) {
        self.name = name
        self.mark = mark
        self.request = request
        self.expect = expect
    }

    /// `expect:` — every key given must hold.
    public struct Expectation: Sendable {
        /// Pipelines visited, in order.
        public var path: [String]?
        /// Acceptable final target labels (`a|b` in YAML).
        public var target: [String]?
        public var arm: String?
        /// The HTTP status of the answer (200 for a successful route).
        public var status: Int?
        /// Expected rejection message fragment (implies a non-200 status).
        public var rejected: String?
        public var attempts: Int?
        public var upstreamBodyContains: [String] = []
        public var upstreamBodyNotContains: [String] = []

        public init() {}
    }
}
