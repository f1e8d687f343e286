import Synchronization
import SwitchyardStore

/// `/health/readiness`: not ready while the database (when there is one) cannot answer. A probe
/// never waits for the database: it gets the last result, and starts a new check (one primary-key
/// read) when that result is older than `interval`. A check still running after `timeout` counts
/// as unreachable.
final class ReadinessProbe: Sendable {
    private struct State {
        var ready = true
        var checked: ContinuousClock.Instant?
        var running: ContinuousClock.Instant?
    }

    private let store: (any GatewayStore)?
    private let interval: Duration
    private let timeout: Duration
    private let state = Mutex(State())

    init(store: (any GatewayStore)?, interval: Duration = .seconds(1), timeout: Duration = .seconds(2)) {
        self.store = store
        self.interval = interval
        self.timeout = timeout
    }

    /// Whether the gateway can serve; nil store: always.
    var isReady: Bool {
        guard let store else { return true }
        let now = ContinuousClock.now
        let (ready, start) = state.withLock { state -> (Bool, Bool) in
            if let running = state.running {
                return (state.ready && now - running < timeout, false)
            }
            guard state.checked.map({ now - $0 >= interval }) ?? true else { return (state.ready, false) }
            state.running = now
            return (state.ready, true)
        }
        if start { Task { await self.check(store) } }
        return ready
    }

    private func check(_ store: any GatewayStore) async {
        let reachable: Bool
        do {
            _ = try await store.key(token: "")
            reachable = true
        } catch {
            reachable = false
        }
        state.withLock { state in
            state.ready = reachable
            state.checked = .now
            state.running = nil
        }
    }
}
