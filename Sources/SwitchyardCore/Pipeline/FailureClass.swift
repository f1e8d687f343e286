/// How an upstream failure is classified, for `retry.on` and `fallback.on`.
public enum FailureClass: String, Sendable, CaseIterable {
    /// Could not connect, or the connection broke before a response.
    case connect
    case timeout
    /// 429 from the upstream.
    case rateLimit = "rate_limit"
    /// The prompt is too long for the model (LiteLLM's `context_window_fallbacks`).
    case contextWindow = "context_window"
    /// The provider refused the content (LiteLLM's `content_policy_fallbacks`).
    case contentPolicy = "content_policy"
    /// 5xx (and 409) from the upstream.
    case server
    /// Any other 4xx: the request itself is wrong; retrying or falling back will not help.
    case client
    /// Produced by the gateway's own policy (`reject`, `limit`, unknown model): never retried.
    case policy

    /// Classifies an error from its code, status and (upstream) error body.
    public init(_ error: GatewayError) {
        if error.code == .rejected || error.code == .rateLimited || error.code == .modelNotFound
            || error.code == .modelUnavailable || error.code == .pipelineError || error.code == .invalidRequest
            || error.code == .invalidJSON || error.code == .missingField
        {
            self = .policy
            return
        }
        if error.code == .upstreamUnreachable { self = .connect; return }
        if error.code == .upstreamTimeout || error.status == 408 || error.status == 504 { self = .timeout; return }
        if error.status == 429 { self = .rateLimit; return }
        let text = (error.message + " " + String(decoding: error.upstreamBody ?? [], as: UTF8.self)).lowercased()
        if (400..<500).contains(error.status) || error.status == 413 {
            for marker in Self.contextWindowMarkers where text.contains(marker) { self = .contextWindow; return }
            for marker in Self.contentPolicyMarkers where text.contains(marker) { self = .contentPolicy; return }
        }
        if error.status >= 500 || error.status == 409 { self = .server; return }
        self = .client
    }

    static let contextWindowMarkers = [
        "context_length_exceeded", "context length", "context window", "maximum context", "too many tokens",
        "prompt is too long", "input is too long", "reduce the length",
    ]
    static let contentPolicyMarkers = [
        "content_policy", "content policy", "content_filter", "content management policy", "safety system", "flagged",
    ]
}

/// `fallback.on:` — which failure classes make a fallback try its alternatives.
public struct FailureClassSet: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `error`: any upstream failure that another deployment might not have: connect, timeout,
    /// 429 and 5xx. Context-window and content-policy failures must be named explicitly.
    public static let error = FailureClassSet(rawValue: 1)
    public static let rateLimit = FailureClassSet(rawValue: 2)
    public static let timeout = FailureClassSet(rawValue: 4)
    public static let contextWindow = FailureClassSet(rawValue: 8)
    public static let contentPolicy = FailureClassSet(rawValue: 16)

    static let spellings: [(String, FailureClassSet)] = [
        ("error", .error), ("rate_limit", .rateLimit), ("timeout", .timeout),
        ("context_window", .contextWindow), ("content_policy", .contentPolicy),
    ]

    func covers(_ failure: FailureClass) -> Bool {
        switch failure {
        case .connect, .server: contains(.error)
        case .timeout: contains(.error) || contains(.timeout)
        case .rateLimit: contains(.error) || contains(.rateLimit)
        case .contextWindow: contains(.contextWindow)
        case .contentPolicy: contains(.contentPolicy)
        case .client, .policy: false
        }
    }

    var summary: String {
        Self.spellings.filter { contains($0.1) }.map(\.0).joined(separator: ",")
    }
}
