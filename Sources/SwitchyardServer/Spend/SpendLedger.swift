import CoreMetrics
import Logging
import ServiceLifecycle
import Synchronization
import SwitchyardCore
import SwitchyardStore

/// Spend accumulated in memory and written in batches: one transaction per `flush_interval`
/// (atomic increments, so replicas never lose each other's spend). While the database is down
/// the batch keeps growing and is written when it comes back; log rows beyond `spend_buffer`
/// are dropped and counted. A crash loses at most one interval.
final class SpendLedger: Service, Sendable {
    private struct State {
        var batch = SpendBatch()
        /// Taken by a flush and not yet confirmed written: still counts against budgets.
        var writing = SpendBatch()
    }

    private let state = Mutex(State())
    let store: any GatewayStore
    let cache: KeyCache
    let settings: DatabaseSettings
    let logger: Logger
    private let lost: Counter
    private let failedFlushes: Counter

    init(store: any GatewayStore, cache: KeyCache, settings: DatabaseSettings, logger: Logger, metrics: any MetricsFactory) {
        self.store = store
        self.cache = cache
        self.settings = settings
        self.logger = logger
        self.lost = Counter(label: "switchyard_spend_logs_lost_total", factory: metrics)
        self.failedFlushes = Counter(label: "switchyard_spend_flush_failures_total", factory: metrics)
    }

    /// Adds one request's spend to its key, team, user, end user and model, and its log row.
    /// - Returns: the key's and team's spend not yet in the database, this entry's included (for
    ///   the budget gauges), read under the same lock.
    @discardableResult
    func record(_ entry: SpendLogEntry) -> (key: Double, team: Double) {
        let (dropped, pending) = state.withLock { state -> (Bool, (key: Double, team: Double)) in
            if entry.spend > 0 {
                if let key = entry.keyHash { state.batch.keys[key, default: 0] += entry.spend }
                if let team = entry.teamID { state.batch.teams[team, default: 0] += entry.spend }
                if let user = entry.userID { state.batch.users[user, default: 0] += entry.spend }
                if let endUser = entry.endUser { state.batch.endUsers[endUser, default: 0] += entry.spend }
                state.batch.models[entry.modelGroup, default: 0] += entry.spend
            }
            let pending = (
                key: entry.keyHash.map { (state.batch.keys[$0] ?? 0) + (state.writing.keys[$0] ?? 0) } ?? 0,
                team: entry.teamID.map { (state.batch.teams[$0] ?? 0) + (state.writing.teams[$0] ?? 0) } ?? 0)
            guard state.batch.logs.count < settings.spendBuffer else { return (true, pending) }
            state.batch.logs.append(entry)
            return (false, pending)
        }
        if dropped { lost.increment() }
        return pending
    }

    /// Spend recorded here but not yet in the database, for budget checks.
    func pending(key: String?, team: String?, user: String?, endUser: String?) -> (key: Double, team: Double, user: Double, endUser: Double) {
        state.withLock { state in
            func sum(_ path: KeyPath<SpendBatch, [String: Double]>, _ id: String?) -> Double {
                guard let id else { return 0 }
                return (state.batch[keyPath: path][id] ?? 0) + (state.writing[keyPath: path][id] ?? 0)
            }
            return (sum(\.keys, key), sum(\.teams, team), sum(\.users, user), sum(\.endUsers, endUser))
        }
    }

    /// Writes what has accumulated. On failure the batch goes back and is tried next time.
    /// - Returns: false when the database could not be written.
    @discardableResult
    func flush() async -> Bool {
        let batch = state.withLock { state -> SpendBatch in
            state.writing = state.batch
            state.batch = SpendBatch()
            return state.writing
        }
        guard !batch.isEmpty else { return true }
        do {
            try await store.record(batch)
            cache.addSpend(SpendBatchView(keys: batch.keys, teams: batch.teams, users: batch.users, endUsers: batch.endUsers))
            state.withLock { $0.writing = SpendBatch() }
            return true
        } catch {
            failedFlushes.increment()
            let dropped = state.withLock { state -> Int in
                var restored = state.writing
                restored.merge(state.batch)
                let excess = max(0, restored.logs.count - settings.spendBuffer)
                if excess > 0 { restored.logs.removeLast(excess) }
                state.batch = restored
                state.writing = SpendBatch()
                return excess
            }
            if dropped > 0 { lost.increment(by: Int64(dropped)) }
            logger.warning("spend not written; kept in memory for the next attempt", metadata: ["error": .string("\(error)")])
            return false
        }
    }

    /// Budget resets and spend-log retention, once a minute.
    func maintain(now: Double = WallClock.now()) async {
        do {
            let reset = try await store.resetBudgets(now: now)
            if reset > 0 {
                cache.invalidateAll()
                logger.info("budgets reset", metadata: ["count": .stringConvertible(reset)])
            }
            if let retention = settings.spendLogRetention {
                let seconds = Double(retention.components.seconds)
                try await store.pruneSpendLogs(before: now - seconds)
            }
        } catch {
            logger.warning("budget reset or spend-log pruning failed", metadata: ["error": .string("\(error)")])
        }
    }

    /// Flushes every `flush_interval` until shutdown, then once more.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastMaintenance = ContinuousClock.now - .seconds(60)
            while !Task.isCancelled {
                try? await Task.sleep(for: self.settings.flushInterval)
                let maintain = ContinuousClock.now - lastMaintenance >= .seconds(60)
                if maintain { lastMaintenance = ContinuousClock.now }
                // Writes under way finish even when shutdown cancels the loop.
                await Task {
                    await self.flush()
                    if maintain { await self.maintain() }
                }.value
            }
        }
        // The service may be cancelled as well as shut down: write from a task that is not.
        await Task { await self.flush() }.value
    }
}
