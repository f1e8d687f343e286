/// What monitoring needs to know about a program up front, so metric series can be bounded by
/// what the configuration declares.
extension GatewayProgram {
    /// One target of a model (a LiteLLM "deployment").
    public struct Deployment: Sendable {
        /// The client-visible model it serves.
        public var model: String
        public var target: Target
        /// Whether it is cooling down now (skipped while another target can serve).
        public var isCoolingDown: Bool
    }

    /// Every model's targets, in file order, with their cooldown state at this moment.
    public func deployments() -> [Deployment] {
        let now = RateLimiter.now()
        var result: [Deployment] = []
        for (index, entry) in models.enumerated() {
            guard case .deployments(let model) = entry else { continue }
            for (i, target) in model.targets.enumerated() {
                result.append(Deployment(model: modelNames[index], target: target, isCoolingDown: model.stats[i].isCooling(at: now)))
            }
        }
        return result
    }

    /// The arm names of every `split` stage (each name once).
    public var splitArms: [String] {
        var names: [String] = []
        for stage in table.stages {
            guard case .split(let split) = stage else { continue }
            for arm in split.arms where !names.contains(arm.name) { names.append(arm.name) }
        }
        return names
    }

    /// The scrubber names `scrub` stages use (each name once).
    public var scrubStages: [String] {
        var names: [String] = []
        for stage in table.stages {
            guard case .scrub(let scrub) = stage, !names.contains(scrub.name) else { continue }
            names.append(scrub.name)
        }
        return names
    }
}
