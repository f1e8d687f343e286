import Synchronization

/// A map from label sets to metric handles that requests of different keys and models read
/// without contending: 16 shards, each behind its own short `Mutex` held for one dictionary
/// lookup (never across an `await`). A shard holding `capacity` entries is emptied, which bounds
/// memory; the series stay in the registry and are found again on next use.
final class ShardedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// A class, so that the (non-copyable) `Mutex` can sit in an array.
    private final class Shard: Sendable {
        let entries = Mutex<[Key: Value]>([:])
    }

    private let shards: [Shard]
    private let capacity: Int

    init(shards count: Int = 16, capacityPerShard capacity: Int = 4096) {
        shards = (0..<count).map { _ in Shard() }
        self.capacity = capacity
    }

    /// The value for `key`, made by `make` on first use (under the shard's lock).
    func value(for key: Key, make: () -> Value) -> Value {
        let shard = shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
        return shard.entries.withLock { entries in
            if let value = entries[key] { return value }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            let value = make()
            entries[key] = value
            return value
        }
    }
}
