import SwitchyardCore
import SwitchyardStore

/// Ends one request's bookkeeping: its spend-log row and spend (from usage × price), the tokens
/// taken from the key's and team's tokens-per-minute, and the parallel-request leases released.
struct Accounting: Sendable {
    let keys: KeyServices
    let admission: Admission
    let requestID: String
    let callType: String
    let requestedModel: String
    let target: Target?
    let path: [String]
    let startTime: Double
    let started: ContinuousClock.Instant

    init(
        keys: KeyServices, admission: Admission, requestID: String, callType: String, requestedModel: String,
        result: ExecutionResult, startTime: Double, started: ContinuousClock.Instant
    ) {
        self.init(
            keys: keys, admission: admission, requestID: requestID, callType: callType, requestedModel: requestedModel,
            target: result.target, path: result.path, startTime: startTime, started: started)
    }

    init(
        keys: KeyServices, admission: Admission, requestID: String, callType: String, requestedModel: String,
        target: Target?, path: [String], startTime: Double, started: ContinuousClock.Instant
    ) {
        self.keys = keys
        self.admission = admission
        self.requestID = requestID
        self.callType = callType
        self.requestedModel = requestedModel
        self.target = target
        self.path = path
        self.startTime = startTime
        self.started = started
    }

    func finish(usage: TokenUsage?, status: Int) {
        admission.release()
        let tokens = usage ?? TokenUsage()
        for subject in admission.tokenSubjects { keys.limiter.consume(subject: subject, tokens: tokens.total) }
        guard let ledger = keys.ledger else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
        var entry = SpendLogEntry(
            requestID: requestID, callType: callType, model: target?.model ?? requestedModel, modelGroup: requestedModel,
            status: status == 200 ? "success" : "failure", httpStatus: status, durationMs: milliseconds, startTime: startTime,
            endTime: startTime + milliseconds / 1000)
        let key = admission.principal.entry?.key
        entry.keyHash = key?.token
        entry.keyAlias = key?.alias
        entry.teamID = key?.teamID
        entry.userID = key?.userID
        entry.endUser = admission.endUser
        entry.provider = target?.providerKind.rawValue
        entry.promptTokens = tokens.prompt
        entry.completionTokens = tokens.completion
        entry.pipelinePath = path.isEmpty ? nil : path.joined(separator: ",")
        if let target, usage != nil {
            entry.spend = keys.prices.cost(target: target, promptTokens: tokens.prompt, completionTokens: tokens.completion) ?? 0
        }
        ledger.record(entry)
    }
}
