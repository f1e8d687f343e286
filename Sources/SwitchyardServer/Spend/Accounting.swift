import SwitchyardCore
import SwitchyardStore

/// Ends one request, once, at its real end (for a stream: after the last byte, see
/// `StreamEnding`): its spend-log row and spend (from usage × price), the tokens taken from the
/// key's and team's tokens-per-minute, the parallel-request leases released, the end-of-request
/// metrics and the access-log line.
struct Accounting: Sendable {
    let keys: KeyServices
    let metrics: GatewayMetrics
    let log: AccessLog?
    let admission: Admission
    let requestID: String
    let callType: String
    let requestedModel: String
    let target: Target?
    let path: [String]
    let arm: String?
    let attempts: Int
    let stream: Bool
    let startTime: Double
    let started: ContinuousClock.Instant
    /// Time in upstream calls when the program answered, and when that was.
    var upstream: (elapsed: Duration, at: ContinuousClock.Instant)?
    /// The request's server span, ended here.
    var trace: RequestTrace?

    init(
        _ requestPath: RequestPath, context: GatewayRequestContext, admission: Admission, callType: String, requestedModel: String,
        result: ExecutionResult, stream: Bool, startTime: Double
    ) {
        self.init(
            requestPath, context: context, admission: admission, callType: callType, requestedModel: requestedModel,
            target: result.target, path: result.path, arm: result.arm, attempts: result.attempts, stream: stream, startTime: startTime)
    }

    /// Claims the request's access-log line: `finish` writes it.
    init(
        _ requestPath: RequestPath, context: GatewayRequestContext, admission: Admission, callType: String, requestedModel: String,
        target: Target?, path: [String] = [], arm: String? = nil, attempts: Int, stream: Bool = false, startTime: Double
    ) {
        self.keys = requestPath.keys
        self.metrics = requestPath.metrics
        self.log = context.accessLog
        self.admission = admission
        self.requestID = context.requestID
        self.callType = callType
        self.requestedModel = requestedModel
        self.target = target
        self.path = path
        self.arm = arm
        self.attempts = attempts
        self.stream = stream
        self.startTime = startTime
        self.started = context.accessLog?.started ?? .now
        log?.claim()
    }

    /// - Parameters:
    ///   - status: the outcome for spend and metrics (a stream that broke: 502).
    ///   - errorType: `GatewayError.code`, or how a stream ended early.
    func finish(usage: TokenUsage?, status: Int, errorType: String? = nil) {
        admission.release()
        let tokens = usage ?? TokenUsage()
        let remaining = keys.settleLimits(admission, tokens: tokens.total)
        let now = ContinuousClock.now
        let elapsed = now - started
        let cost = target.flatMap { target in
            usage.flatMap { keys.prices.cost(target: target, promptTokens: $0.prompt, completionTokens: $0.completion) }
        }
        let upstreamTime = upstream.map { stream ? $0.elapsed + (now - $0.at) : $0.elapsed }
        let key = admission.principal.entry?.key
        var summary = RequestSummary(
            status: stream ? 200 : status, model: requestedModel, target: target?.label, path: path, arm: arm,
            attempts: attempts, keyAlias: admission.principal.keyAlias, team: key?.teamID, tokens: usage, cost: cost,
            errorType: errorType, stream: stream)
        trace?.finish(&summary)
        log?.write(summary)
        // The key's and team's spend after this request, for the budget gauges.
        let pending = record(usage: usage, tokens: tokens, cost: cost, status: status, elapsed: elapsed) ?? (0, 0)
        metrics.finished(
            model: requestedModel, target: target, status: status, errorType: errorType, duration: elapsed, upstream: upstreamTime,
            usage: usage, cost: cost,
            caller: keys.metricsOutcome(admission, pending: pending, remaining: remaining, userLabels: metrics.userLabels))
    }

    /// The request's spend-log row and spend, into the ledger.
    /// - Returns: the key's and team's spend not yet written, this request's included; nil without a database.
    private func record(usage: TokenUsage?, tokens: TokenUsage, cost: Double?, status: Int, elapsed: Duration) -> (key: Double, team: Double)? {
        guard let ledger = keys.ledger else { return nil }
        let key = admission.principal.entry?.key
        let milliseconds = AccessLog.milliseconds(elapsed)
        var entry = SpendLogEntry(
            requestID: requestID, callType: callType, model: target?.model ?? requestedModel, modelGroup: requestedModel,
            status: status == 200 ? "success" : "failure", httpStatus: status, durationMs: milliseconds, startTime: startTime,
            endTime: startTime + milliseconds / 1000)
        entry.keyHash = key?.token
        entry.keyAlias = key?.alias
        entry.teamID = key?.teamID
        entry.userID = key?.userID
        entry.endUser = admission.endUser
        entry.provider = target?.providerKind.rawValue
        entry.promptTokens = tokens.prompt
        entry.completionTokens = tokens.completion
        entry.pipelinePath = path.isEmpty ? nil : path.joined(separator: ",")
        if usage != nil { entry.spend = cost ?? 0 }
        return ledger.record(entry)
    }
}
