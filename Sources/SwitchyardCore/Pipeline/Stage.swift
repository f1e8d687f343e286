/// A compiled stage. Names are already indices into the program's tables; policies, conditions
/// and limiters are ready to run. Every payload is a single reference, so reading a stage in
/// the interpreter costs one retain, not one per field.
enum Stage: Sendable {
    /// Call a model (its index in the program), or, for `nil`, the model the request names now.
    case route(Int?)
    case reject(Boxed<GatewayError>)
    case match(MatchStage)
    case transform(Boxed<Transform>)
    case split(SplitStage)
    case retry(Boxed<RetryPolicy>)
    case fallback(FallbackStage)
    case limit(RateLimiter)
    case scrub(ScrubStage)
}

/// An immutable value behind a reference.
final class Boxed<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

final class ScrubStage: Sendable {
    let name: String
    let scrubber: any RequestScrubber
    init(name: String, scrubber: any RequestScrubber) {
        self.name = name
        self.scrubber = scrubber
    }
}

/// Where execution is: a stage in a block.
struct Position: Sendable, Equatable {
    var block: Int
    var stage: Int
}

/// A list of stages: a pipeline's body, or an inline `then:` list. When a block runs off its
/// end, execution continues at `continuation` (the stage after the one that branched into it);
/// a pipeline's own block has none, and running off it is an error the compiler rules out.
struct Block: Sendable {
    var stages: [Stage]
    var continuation: Position?
    /// The pipeline the block belongs to (for `explain` and the graph).
    var pipeline: Int
}

/// Where a match case, an `else` or a split arm leads.
enum Branch: Sendable {
    /// Enter another pipeline (by index); never returns to this one.
    case goto(Int)
    /// Run an inline block, then continue after the branching stage.
    case block(Int)
    /// Call a model (by index).
    case route(Int)
}

final class MatchStage: Sendable {
    let cases: [(condition: Condition, branch: Branch)]
    let otherwise: Branch?

    init(cases: [(condition: Condition, branch: Branch)], otherwise: Branch?) {
        self.cases = cases
        self.otherwise = otherwise
    }
}

/// A weighted A/B choice. Sticky subjects are hashed with FNV-1a (64-bit) salted by the split's
/// own identity, so the same subject lands in the same arm on every replica and after restarts,
/// while different splits assign independently.
final class SplitStage: Sendable {
    let subject: SplitSubject
    let arms: [(name: String, branch: Branch)]
    /// Running totals of the arms' weights.
    let cumulativeWeights: [Double]
    let salt: UInt64

    init(subject: SplitSubject, arms: [(name: String, weight: Double, branch: Branch)], salt: String) {
        self.subject = subject
        self.arms = arms.map { ($0.name, $0.branch) }
        var total = 0.0
        self.cumulativeWeights = arms.map { total += $0.weight; return total }
        self.salt = Self.fnv1a(salt.utf8, seed: Self.fnvOffset)
    }

    /// The arm for a subject (`nil`: no subject, choose at random).
    func pick<G: RandomNumberGenerator>(subject value: String?, using generator: inout G) -> Int {
        let total = cumulativeWeights[cumulativeWeights.count - 1]
        let unit: Double
        if let value {
            let hash = Self.finalize(Self.fnv1a(value.utf8, seed: salt))
            unit = Double(hash >> 11) * 0x1p-53
        } else {
            unit = Double.random(in: 0..<1, using: &generator)
        }
        let point = unit * total
        var low = 0, high = cumulativeWeights.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulativeWeights[mid] > point { high = mid } else { low = mid + 1 }
        }
        return low
    }

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325

    static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// FNV's high bits mix poorly for short inputs; a murmur-style finalizer spreads them.
    static func finalize(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b91a_2ed7_efb0 | 1
        h ^= h >> 33
        return h
    }
}

final class FallbackStage: Sendable {
    /// Model indices, tried in order.
    let to: [Int]
    let on: FailureClassSet

    init(to: [Int], on: FailureClassSet) {
        self.to = to
        self.on = on
    }
}

/// A compiled pipeline: its name and the block it starts in.
struct CompiledPipeline: Sendable {
    var name: String
    var entry: Int
}
