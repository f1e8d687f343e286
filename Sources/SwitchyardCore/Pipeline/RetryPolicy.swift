/// `retry:` — re-runs the rest of the pipeline when it fails in a retryable way.
///
/// ```yaml
/// - retry: {attempts: 3, on: [429, 5xx, timeout], backoff: {base: 200ms, max: 5s}, max_retry_after: 10s}
/// ```
public struct RetryPolicy: Sendable {
    /// Total tries, the first included.
    public var attempts = 3
    /// Exact statuses to retry (`429`), and status classes (`5xx`, `4xx`).
    public var statuses: Set<Int> = [408, 409, 429]
    public var serverErrors = true
    public var clientErrors = false
    public var onTimeout = true
    public var onConnect = true
    /// First delay; doubles per retry up to `maxDelay`, then jittered to 50–100 %.
    public var baseDelay: Duration = .milliseconds(200)
    public var maxDelay: Duration = .seconds(5)
    /// An upstream `Retry-After` longer than this is capped to it.
    public var maxRetryAfter: Duration = .seconds(10)

    public init() {}

    /// Whether `error` should be retried under this policy.
    func shouldRetry(_ error: GatewayError) -> Bool {
        let failure = FailureClass(error)
        switch failure {
        case .policy: return false
        case .connect: return onConnect
        case .timeout: return onTimeout || statuses.contains(error.status)
        default:
            if statuses.contains(error.status) { return true }
            if error.status >= 500 { return serverErrors }
            if (400..<500).contains(error.status) { return clientErrors }
            return false
        }
    }

    /// The wait before retry number `retry` (1 for the first retry).
    func delay<G: RandomNumberGenerator>(beforeRetry retry: Int, after error: GatewayError, using generator: inout G) -> Duration {
        let base = Double(baseDelay.milliseconds)
        let exponential = min(Double(maxDelay.milliseconds), base * Double(1 << min(retry - 1, 30)))
        var milliseconds = exponential * Double.random(in: 0.5...1.0, using: &generator)
        if let retryAfter = error.retryAfterMilliseconds ?? error.retryAfter.map({ $0 * 1000 }) {
            milliseconds = max(milliseconds, Double(min(retryAfter, maxRetryAfter.milliseconds)))
        }
        return .milliseconds(Int64(milliseconds.rounded()))
    }

    var summary: String {
        var on: [String] = statuses.sorted().map(String.init)
        if serverErrors { on.append("5xx") }
        if clientErrors { on.append("4xx") }
        if onTimeout { on.append("timeout") }
        if onConnect { on.append("connect") }
        return "attempts \(attempts), on \(on.joined(separator: ",")), backoff \(baseDelay.milliseconds)ms..\(maxDelay.milliseconds)ms"
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
