/// What running one request produced, with the trace the front end turns into headers
/// (`x-switchyard-path`, `-target`, `-arm`, `-attempts`) and `explain` prints.
public struct ExecutionResult: Sendable {
    /// The upstream's reply, or the error to answer with (a rejection, a limit, an upstream failure).
    public var outcome: Result<UpstreamReply, GatewayError>
    /// The last target called (the one that answered, on success).
    public var target: Target?
    /// Pipelines entered, in order (of the attempt that produced the outcome).
    public var path: [String]
    /// The split arm taken, when a split ran.
    public var arm: String?
    /// Upstream calls made, retries and fallbacks included.
    public var attempts: Int
    /// One line per stage decision; only filled when `CallContext.recordsDecisions` is set.
    public var decisions: [String]
    /// What each `scrub` stage changed (counts by detector, never values).
    public var scrubbed: [(stage: String, summary: ScrubSummary)]
    /// Retries made by `retry` stages (LiteLLM's `x-litellm-attempted-retries`).
    public var retries: Int = 0
    /// Fallback models tried (LiteLLM's `x-litellm-attempted-fallbacks`).
    public var fallbacks: Int = 0
}

/// The mutable state of one request while the pipeline runs. One value per request, changed in
/// place; `retry` and `fallback` take a checkpoint and roll back to it instead of copying it.
struct ExecutionState {
    var facts: RequestFacts
    var path: [String] = []
    var arm: String?
    /// The last target called: its model and index (one retain, not a copy of the target).
    var routed: (model: CompiledModel, index: Int)?
    var attempts = 0
    var retries = 0
    var fallbacks = 0
    /// The last target called when its model is a wildcard (`openai/*`): the target with the
    /// upstream model name filled in from the request.
    var wildcardTarget: Target?
    /// Pipelines entered so far: bounds `route-requested` loops the compiler cannot see.
    var entries = 0
    var decisions: [String]?
    var scrubbed: [(stage: String, summary: ScrubSummary)] = []
    /// Response filters of the scrub stages that ran, parallel to `scrubbed`.
    var responseFilters: [(any ResponseFilter)?] = []
    /// The path and arm of the last failed attempt, reported when the request fails.
    var failedPath: [String]?
    var failedArm: String?
    /// `CallContext.stages`, for the synchronous walk (which has no context).
    let stages: (any StageObserver)?

    init(request: ChatRequest, context: CallContext) {
        self.facts = RequestFacts(request: request, headers: context.headers, keyAlias: context.keyAlias, caller: context.caller)
        self.decisions = context.recordsDecisions ? [] : nil
        self.stages = context.stages
    }

    var target: Target? { wildcardTarget ?? routed.map { $0.model.targets[$0.index] } }

    mutating func note(_ text: @autoclosure () -> String) {
        if decisions != nil { decisions!.append(text()) }
    }

    /// What an attempt may change and a failed attempt must undo.
    struct Checkpoint {
        var request: ChatRequest
        var pathCount: Int
        var arm: String?
        var entries: Int
        var scrubbedCount: Int
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(request: facts.request, pathCount: path.count, arm: arm, entries: entries, scrubbedCount: scrubbed.count)
    }

    /// Starts an attempt: no failure of it is recorded yet.
    mutating func beginAttempt() {
        failedPath = nil
        failedArm = nil
    }

    /// Undoes a failed attempt's changes to the request and its trace, remembering its path;
    /// the upstream calls it made (`attempts`, `routed`) and its decisions are kept.
    mutating func rollBack(to checkpoint: Checkpoint) {
        if failedPath == nil {
            failedPath = path
            failedArm = arm
        }
        facts.request = checkpoint.request
        facts.invalidate()
        path.removeSubrange(checkpoint.pathCount...)
        arm = checkpoint.arm
        entries = checkpoint.entries
        scrubbed.removeSubrange(checkpoint.scrubbedCount...)
        responseFilters.removeSubrange(checkpoint.scrubbedCount...)
    }
}
