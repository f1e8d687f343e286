public import CoreMetrics
public import Logging
public import SwitchyardCore
public import SwitchyardStore

/// What virtual keys, budgets and spend need, built once per server: the store, the key cache,
/// the spend ledger, per-key rate limits and prices. Without a store only the master key (or no
/// authentication) exists, and spend is not recorded.
public final class KeyServices: Sendable {
    let store: (any GatewayStore)?
    let cache: KeyCache
    let authenticator: Authenticator
    let ledger: SpendLedger?
    /// rpm / tpm / parallel buckets of keys (`key:<hash>`) and teams (`team:<id>`).
    let limiter = RateLimiter(settings: LimitSettings())
    let prices: PriceTable
    let readiness: ReadinessProbe

    /// - Parameters:
    ///   - store: the opened database, or nil for none.
    ///   - prices: the price table (built-in, or with a LiteLLM price file over it).
    public init(
        program: GatewayProgram, store: (any GatewayStore)?, prices: PriceTable = .builtIn(), logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        let settings = program.database
        self.store = store
        let cache = KeyCache(ttl: settings.keyCacheTTL, budgetTTL: settings.flushInterval, capacity: settings.keyCacheSize)
        self.cache = cache
        self.authenticator = Authenticator(masterKey: program.settings.masterKey.map { Array($0.utf8) }, store: store, cache: cache)
        self.ledger = store.map { SpendLedger(store: $0, cache: cache, settings: settings, logger: logger, metrics: metrics) }
        self.prices = prices
        self.readiness = ReadinessProbe(store: store)
    }

    /// The end user's record (the request's `user`), cached like keys; nil when it has none or
    /// the database cannot say.
    func endUser(_ id: String) async -> EndUserRecord? {
        guard let store else { return nil }
        if let cached = cache.endUser(id) { return cached }
        do {
            let record = try await store.endUser(id: id)
            cache.store(endUser: record, for: id)
            return record
        } catch {
            return cache.staleEndUser(id)
        }
    }

    /// Forgets a cached end user (after the management API changed it).
    func invalidateEndUser(_ id: String) {
        cache.invalidate(endUser: id)
    }

    /// Flushes spend and closes the database.
    public func shutdown() async {
        await ledger?.flush()
        await store?.close()
    }
}
