extension GatewayProgram {
    /// Carries the live state of `old` (the program this one replaces) over by name, so a reload
    /// does not forget what the gateway has learnt:
    /// - per target (same model name and `provider/model` label): cooldown, latency average,
    ///   this minute's request and token counts;
    /// - per `limit` stage (same settings, in the same order among those with these settings):
    ///   its buckets.
    /// Split stickiness needs nothing: an arm is a hash of the subject and the split's identity.
    public func inheritState(from old: GatewayProgram) {
        for (name, index) in modelIndex {
            guard case .deployments(let model) = models[index], let oldIndex = old.modelIndex[name],
                case .deployments(let oldModel) = old.models[oldIndex]
            else { continue }
            for (i, target) in model.targets.enumerated() {
                if let j = oldModel.targets.firstIndex(where: { $0.label == target.label }) {
                    model.stats[i].inherit(from: oldModel.stats[j])
                }
            }
        }
        var oldLimiters: [String: [RateLimiter]] = [:]
        for case .limit(let limiter) in old.table.stages { oldLimiters[limiter.settings.summary, default: []].append(limiter) }
        var seen: [String: Int] = [:]
        for case .limit(let limiter) in table.stages {
            let key = limiter.settings.summary
            let n = seen[key, default: 0]
            seen[key] = n + 1
            if let previous = oldLimiters[key], n < previous.count { limiter.inherit(from: previous[n]) }
        }
    }
}
