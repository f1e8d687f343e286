import Synchronization
import SwitchyardCore
import SwitchyardStore

/// Key records in memory, so authentication costs no database round trip per request. An entry
/// is trusted for `ttl`: a key revoked or blocked elsewhere stops working within that time.
/// Unknown keys are remembered briefly too, so a flood of bad keys does not reach the database.
final class KeyCache: Sendable {
    private struct Slot {
        var entry: KeyEntry?
        var fetched: Double
    }

    private let slots = Mutex<[String: Slot]>([:])
    let ttl: Double
    /// How long the spend of a key under a budget (its own or its team's or user's) is trusted:
    /// one flush interval, so replicas see each other's spend within about two intervals.
    let budgetTTL: Double
    let capacity: Int
    /// How long "no such key" is believed.
    static let negativeTTL = 2.0

    init(ttl: Duration, budgetTTL: Duration, capacity: Int) {
        self.ttl = Self.seconds(ttl)
        self.budgetTTL = min(Self.seconds(ttl), Self.seconds(budgetTTL))
        self.capacity = capacity
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    enum Lookup {
        case miss
        case unknown
        case found(KeyEntry)
    }

    /// The entry for `token` if it is fresh at `now`.
    func lookup(_ token: String, now: Double = RateLimiter.now()) -> Lookup {
        slots.withLock { slots in
            guard let slot = slots[token] else { return .miss }
            guard let entry = slot.entry else { return now - slot.fetched < Self.negativeTTL ? .unknown : .miss }
            let budgeted = entry.key.limits.maxBudget != nil || entry.team?.limits.maxBudget != nil || entry.user?.limits.maxBudget != nil
            return now - slot.fetched < (budgeted ? budgetTTL : ttl) ? .found(entry) : .miss
        }
    }

    /// The entry even when stale: while the database is down, recently used keys keep working.
    func stale(_ token: String) -> KeyEntry? {
        slots.withLock { $0[token]?.entry }
    }

    func store(_ entry: KeyEntry?, for token: String, now: Double = RateLimiter.now()) {
        slots.withLock { slots in
            if slots.count >= capacity, slots[token] == nil {
                // Drop the older half: amortised O(1) per insert, no per-entry bookkeeping.
                let cutoff = slots.values.map(\.fetched).sorted()[slots.count / 2]
                slots = slots.filter { $0.value.fetched > cutoff }
            }
            slots[token] = Slot(entry: entry, fetched: now)
        }
    }

    /// Forgets one key (after the management API changed it on this replica).
    func invalidate(_ token: String) {
        _ = slots.withLock { $0.removeValue(forKey: token) }
    }

    /// Forgets every key (after a team or user changed: many keys may carry it).
    func invalidateAll() {
        slots.withLock { $0.removeAll() }
    }

    private let endUsers = Mutex<[String: (record: EndUserRecord?, fetched: Double)]>([:])

    /// A cached end user (`.some(nil)`: known to have no record); nil when it must be read.
    func endUser(_ id: String, now: Double = RateLimiter.now()) -> EndUserRecord?? {
        endUsers.withLock { slots in
            guard let slot = slots[id] else { return nil }
            let limit = slot.record?.limits.maxBudget == nil ? ttl : budgetTTL
            return now - slot.fetched < limit ? .some(slot.record) : nil
        }
    }

    /// The end user's record even when stale (the database is down).
    func staleEndUser(_ id: String) -> EndUserRecord? {
        endUsers.withLock { $0[id]?.record }
    }

    func store(endUser record: EndUserRecord?, for id: String, now: Double = RateLimiter.now()) {
        endUsers.withLock { slots in
            if slots.count >= capacity, slots[id] == nil { slots.removeAll(keepingCapacity: true) }
            slots[id] = (record, now)
        }
    }

    func invalidate(endUser id: String) {
        _ = endUsers.withLock { $0.removeValue(forKey: id) }
    }

    /// Adds spend recorded on this replica to the cached records, so budgets see it at once.
    func addSpend(_ batch: SpendBatchView) {
        endUsers.withLock { slots in
            for (id, amount) in batch.endUsers { slots[id]?.record?.limits.spend += amount }
        }
        slots.withLock { slots in
            for (token, amount) in batch.keys { slots[token]?.entry?.key.limits.spend += amount }
            guard !batch.teams.isEmpty || !batch.users.isEmpty else { return }
            // Teams and users are shared by many keys: every cached key of theirs is updated in place.
            for token in Array(slots.keys) {
                if let team = slots[token]?.entry?.team?.teamID, let amount = batch.teams[team] {
                    slots[token]?.entry?.team?.limits.spend += amount
                }
                if let user = slots[token]?.entry?.user?.userID, let amount = batch.users[user] {
                    slots[token]?.entry?.user?.limits.spend += amount
                }
            }
        }
    }
}
