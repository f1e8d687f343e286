import Synchronization

/// A client-visible model with its targets, a precomputed choice table and the live counters the
/// adaptive strategies (least-busy, lowest-latency, usage) read.
final class CompiledModel: Sendable {
    let name: String
    let strategy: RoutingStrategy
    /// Targets that can serve; those of unavailable providers are left out.
    let targets: [Target]
    /// One per target, same order.
    let stats: [TargetStats]
    /// Running totals of the targets' weights, for one binary search per pick.
    let cumulativeWeights: [Double]
    /// Why no target can serve, when `targets` is empty.
    let unavailableReason: String?
    /// Whether picking or accounting needs the request's token estimate.
    let needsTokens: Bool
    /// Whether picking reads latencies (so calls must be timed).
    let needsLatency: Bool
    private let nextIndex = Atomic<Int>(0)
    /// The name has a `*` (`openai/*`): a target model with a `*` gets the part of the requested
    /// name the star matched.
    let isWildcard: Bool

    /// Consecutive failures that cool a target down, and for how long (nil: never).
    let cooldown: (allowedFails: Int, duration: Double)?

    init(
        name: String, strategy: RoutingStrategy, targets: [(target: Target, rpm: Int?, tpm: Int?)], unavailableReason: String?,
        cooldown: (allowedFails: Int, duration: Double)? = nil
    ) {
        self.cooldown = targets.count > 1 ? cooldown : nil
        self.name = name
        self.isWildcard = name.contains("*")
        self.strategy = strategy
        let ordered = strategy == .priority ? targets.sorted { $0.target.order < $1.target.order } : targets
        self.targets = ordered.map(\.target)
        self.stats = ordered.map { TargetStats(rpm: $0.rpm, tpm: $0.tpm) }
        var total = 0.0
        self.cumulativeWeights = self.targets.map { total += $0.weight; return total }
        self.unavailableReason = unavailableReason
        self.needsTokens = strategy == .usage || ordered.contains { $0.tpm != nil }
        self.needsLatency = strategy == .lowestLatency && ordered.count > 1
    }

    /// Picks the target for one request.
    func pick<G: RandomNumberGenerator>(using generator: inout G) -> Target {
        targets[pickIndex(tokens: 0, using: &generator)]
    }

    /// The index of the target for one request of about `tokens` prompt tokens. A target that is
    /// cooling down is passed over for the next one that is not (in table order), unless all are.
    func pickIndex<G: RandomNumberGenerator>(tokens: Int, using generator: inout G) -> Int {
        if targets.count == 1 { return 0 }
        let index = strategyIndex(tokens: tokens, using: &generator)
        guard cooldown != nil else { return index }
        let now = RateLimiter.now()
        for offset in 0..<targets.count {
            let candidate = (index + offset) % targets.count
            if !stats[candidate].isCooling(at: now) { return candidate }
        }
        return index
    }

    /// `target` with the `*` of its upstream model replaced by what the model name's `*` matched
    /// in `requested` (`openai/*` serving `openai/gpt-4o` with target model `*` → `gpt-4o`).
    func resolvingWildcard(_ target: Target, requested: String) -> Target {
        guard let star = name.firstIndex(of: "*"), target.model.contains("*") else { return target }
        let prefix = name[..<star], suffix = name[name.index(after: star)...]
        guard requested.hasPrefix(prefix), requested.hasSuffix(suffix), requested.count >= prefix.count + suffix.count else { return target }
        let matched = requested.dropFirst(prefix.count).dropLast(suffix.count)
        let model = target.model.split(separator: "*", omittingEmptySubsequences: false).joined(separator: String(matched))
        return Target(
            providerIndex: target.providerIndex, providerName: target.providerName, providerKind: target.providerKind,
            model: model, weight: target.weight, order: target.order, deadlines: target.deadlines,
            defaultParams: target.defaultParams, mockResponse: target.mockResponse,
            label: "\(target.providerName)/\(model)", id: target.id,
            inputCostPerToken: target.inputCostPerToken, outputCostPerToken: target.outputCostPerToken, api: target.api)
    }

    /// Records the outcome of a call for cooldown.
    func record(success: Bool, target index: Int) {
        guard let cooldown else { return }
        stats[index].recordOutcome(success: success, allowedFails: cooldown.allowedFails, cooldown: cooldown.duration)
    }

    private func strategyIndex<G: RandomNumberGenerator>(tokens: Int, using generator: inout G) -> Int {
        switch strategy {
        case .priority:
            return 0
        case .roundRobin:
            let n = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
            return Int(UInt(bitPattern: n) % UInt(targets.count))
        case .weighted:
            return weightedIndex(using: &generator)
        case .leastBusy:
            return best(startingAt: Int.random(in: 0..<targets.count, using: &generator)) { -Double($0.inFlight.load(ordering: .relaxed)) }
        case .lowestLatency:
            // Untried targets (no measurement yet) score best, so every target gets measured.
            return best(startingAt: Int.random(in: 0..<targets.count, using: &generator)) { stats in
                let micros = stats.latencyMicros.load(ordering: .relaxed)
                return micros == 0 ? .infinity : -Double(micros)
            }
        case .usage:
            return best(startingAt: Int.random(in: 0..<targets.count, using: &generator)) { $0.headroom(tokens: tokens) }
        }
    }

    private func weightedIndex<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        let point = Double.random(in: 0..<cumulativeWeights[cumulativeWeights.count - 1], using: &generator)
        var low = 0, high = cumulativeWeights.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulativeWeights[mid] > point { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The highest-scoring target; ties go to the first found from a random start.
    private func best(startingAt start: Int, score: (TargetStats) -> Double) -> Int {
        var bestIndex = start
        var bestScore = -Double.infinity
        for offset in 0..<targets.count {
            let index = (start + offset) % targets.count
            let value = score(stats[index])
            if value > bestScore {
                bestScore = value
                bestIndex = index
            }
        }
        return bestIndex
    }
}

/// Live counters for one target, shared by all requests.
final class TargetStats: Sendable {
    let inFlight = Atomic<Int>(0)
    /// Moving average of time to the first byte, in microseconds; 0 until measured.
    let latencyMicros = Atomic<Int>(0)
    let rpm: Int?
    let tpm: Int?
    private let usage = Mutex<(minute: Int, requests: Int, tokens: Int)>((0, 0, 0))
    /// Consecutive failures, and until when (seconds on `RateLimiter.now()`) the target cools down.
    private let health = Mutex<(failures: Int, coolingUntil: Double)>((0, 0))

    /// Takes over cooldown, latency average and this minute's usage from the stats this one
    /// replaces on reload (requests in flight are counted by the old ones).
    func inherit(from old: TargetStats) {
        latencyMicros.store(old.latencyMicros.load(ordering: .relaxed), ordering: .relaxed)
        let usage = old.usage.withLock { $0 }
        self.usage.withLock { $0 = usage }
        let health = old.health.withLock { $0 }
        self.health.withLock { $0 = health }
    }

    func isCooling(at now: Double) -> Bool {
        health.withLock { $0.coolingUntil > now }
    }

    func recordOutcome(success: Bool, allowedFails: Int, cooldown: Double) {
        health.withLock { health in
            if success {
                health.failures = 0
                return
            }
            health.failures += 1
            if health.failures >= allowedFails {
                health.failures = 0
                health.coolingUntil = RateLimiter.now() + cooldown
            }
        }
    }

    init(rpm: Int?, tpm: Int?) {
        self.rpm = rpm
        self.tpm = tpm
    }

    func begin(tokens: Int) {
        inFlight.wrappingAdd(1, ordering: .relaxed)
        guard rpm != nil || tpm != nil else { return }
        let minute = Int(RateLimiter.now() / 60)
        usage.withLock { usage in
            if usage.minute != minute { usage = (minute, 0, 0) }
            usage.requests += 1
            usage.tokens += tokens
        }
    }

    /// - Parameter latency: time to the first byte, when the call succeeded.
    func end(latency: Duration?) {
        inFlight.wrappingSubtract(1, ordering: .relaxed)
        if let latency { recordLatency(latency) }
    }

    func recordLatency(_ latency: Duration) {
        let micros = max(1, latency.milliseconds * 1000 + Int(latency.components.attoseconds / 1_000_000_000_000) % 1000)
        let old = latencyMicros.load(ordering: .relaxed)
        // EWMA with alpha 0.2; a lost race only drops one sample.
        latencyMicros.store(old == 0 ? micros : (old * 4 + micros) / 5, ordering: .relaxed)
    }

    /// The smaller of the remaining fractions of `rpm` and `tpm` this minute (1 without limits).
    func headroom(tokens: Int) -> Double {
        guard rpm != nil || tpm != nil else { return 1 }
        let minute = Int(RateLimiter.now() / 60)
        let (requests, used) = usage.withLock { $0.minute == minute ? ($0.requests, $0.tokens) : (0, 0) }
        var headroom = 1.0
        if let rpm { headroom = min(headroom, 1 - Double(requests + 1) / Double(rpm)) }
        if let tpm { headroom = min(headroom, 1 - Double(used + tokens) / Double(tpm)) }
        return headroom
    }
}
