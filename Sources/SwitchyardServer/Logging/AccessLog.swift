import Logging
import Synchronization
import SwitchyardStore

/// One request's access-log line, written once, when the request really ends: by
/// `GatewayMiddleware` when the handler's response is the end (errors before the program ran,
/// management and health routes), or — once a handler has `claim`ed it — by `Accounting`, which
/// for streams runs after the last byte.
final class AccessLog: Sendable {
    private let logger: Logger
    private let enabled: Bool
    private let method: String
    private let route: String
    let started: ContinuousClock.Instant
    private let claimed = Atomic<Bool>(false)
    private let written = Atomic<Bool>(false)

    /// - Parameters:
    ///   - logger: the request's logger (it carries `request.id`).
    ///   - enabled: `server.access_log`.
    init(logger: Logger, enabled: Bool, method: String, route: String, started: ContinuousClock.Instant = .now) {
        self.logger = logger
        self.enabled = enabled
        self.method = method
        self.route = route
        self.started = started
    }

    /// The handler writes the line itself (through `Accounting`); the middleware must not.
    func claim() { claimed.store(true, ordering: .relaxed) }

    var isClaimed: Bool { claimed.load(ordering: .relaxed) }

    /// Writes the line (only the first call does).
    func write(_ summary: RequestSummary) {
        guard enabled, !written.exchange(true, ordering: .relaxed) else { return }
        var metadata: Logger.Metadata = [
            "http.method": .string(method),
            "http.route": .string(route),
            "http.status": .stringConvertible(summary.status),
            "duration.ms": .stringConvertible(Self.milliseconds(ContinuousClock.now - started)),
        ]
        if let model = summary.model { metadata["model.requested"] = .string(model) }
        if let target = summary.target { metadata["provider.target"] = .string(target) }
        if !summary.path.isEmpty { metadata["pipeline.path"] = .string(summary.path.joined(separator: ",")) }
        if let arm = summary.arm { metadata["pipeline.arm"] = .string(arm) }
        if let attempts = summary.attempts { metadata["upstream.attempts"] = .stringConvertible(attempts) }
        if let alias = summary.keyAlias { metadata["key.alias"] = .string(alias) }
        if let team = summary.team { metadata["key.team"] = .string(team) }
        if let tokens = summary.tokens {
            metadata["tokens.input"] = .stringConvertible(tokens.prompt)
            metadata["tokens.output"] = .stringConvertible(tokens.completion)
        }
        if let cost = summary.cost { metadata["cost.usd"] = .stringConvertible(cost) }
        if let error = summary.errorType { metadata["error.type"] = .string(error) }
        if summary.stream { metadata["stream"] = .stringConvertible(true) }
        if let traceID = summary.traceID { metadata["trace_id"] = .string(traceID) }
        logger.info("request", metadata: metadata)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds / 1_000_000_000_000) / 1000
    }
}

/// What a request's access-log line says beyond method, route and duration.
struct RequestSummary: Sendable {
    var status: Int
    var model: String?
    /// `provider/model` of the target that answered (or was tried last).
    var target: String?
    var path: [String] = []
    var arm: String?
    var attempts: Int?
    /// The key's alias (or display name) and team: never the key or its hash.
    var keyAlias: String?
    var team: String?
    var tokens: TokenUsage?
    var cost: Double?
    /// `GatewayError.code` (or how a stream ended early): label-safe, never a message.
    var errorType: String?
    var stream = false
    /// The request's trace (32 hex digits), when tracing is on.
    var traceID: String?

    /// A request that ended before the program ran.
    static func ended(status: Int, principal: Principal, errorType: String?) -> RequestSummary {
        RequestSummary(status: status, keyAlias: principal.keyAlias, team: principal.entry?.key.teamID, errorType: errorType)
    }
}
