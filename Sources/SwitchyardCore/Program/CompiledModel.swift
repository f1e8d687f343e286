import Synchronization

/// A client-visible model with its targets and a precomputed choice table.
final class CompiledModel: Sendable {
    let name: String
    let strategy: RoutingStrategy
    /// Targets that can serve; those of unavailable providers are left out.
    let targets: [Target]
    /// Running totals of the targets' weights, for one binary search per pick.
    let cumulativeWeights: [Double]
    /// Why no target can serve, when `targets` is empty.
    let unavailableReason: String?
    private let nextIndex = Atomic<Int>(0)

    init(name: String, strategy: RoutingStrategy, targets: [Target], unavailableReason: String?) {
        self.name = name
        self.strategy = strategy
        self.targets = strategy == .priority ? targets.sorted { $0.order < $1.order } : targets
        var total = 0.0
        self.cumulativeWeights = self.targets.map { total += $0.weight; return total }
        self.unavailableReason = unavailableReason
    }

    /// Picks the target for one request.
    func pick<G: RandomNumberGenerator>(using generator: inout G) -> Target {
        if targets.count == 1 { return targets[0] }
        switch strategy {
        case .priority:
            return targets[0]
        case .roundRobin:
            let n = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
            return targets[Int(UInt(bitPattern: n) % UInt(targets.count))]
        case .weighted:
            let point = Double.random(in: 0..<cumulativeWeights[cumulativeWeights.count - 1], using: &generator)
            var low = 0, high = cumulativeWeights.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulativeWeights[mid] > point { high = mid } else { low = mid + 1 }
            }
            return targets[low]
        }
    }
}
