/// Sees the stages of one request that do work — a `scrub`, each `retry` attempt, each
/// `fallback` hop — as they begin and end. Calls are strictly nested: `ended` always closes the
/// innermost stage still open. The engine calls it only when `CallContext.stages` is set (the
/// server sets it when tracing is on).
public protocol StageObserver: Sendable {
    func began(_ stage: ObservedStage)
    /// - Parameters:
    ///   - error: why the stage failed; nil when it succeeded.
    ///   - replacements: for a `scrub`: how many values it replaced.
    func ended(_ error: GatewayError?, replacements: Int)
}

/// A stage `StageObserver` sees.
public enum ObservedStage: Sendable, Equatable {
    /// A `scrub` stage, by its scrubber's name.
    case scrub(String)
    /// Attempt `number` (from 1) of a `retry` stage allowing `of` attempts.
    case retryAttempt(Int, of: Int)
    /// One try of a `fallback` stage (or the request's own `fallbacks`): hop 0 is the path it
    /// wraps, hop n the n-th alternative `model`.
    case fallbackHop(Int, model: String?)
}
