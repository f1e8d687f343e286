public import CoreMetrics
public import Logging
public import SwitchyardCore
public import SwitchyardProviders

/// What one running gateway is made of besides its HTTP server: the live program, the reloader
/// that replaces it, virtual keys and spend, and the drain state. `serve` builds one; the tests
/// build one per gateway they boot.
public final class Gateway: Sendable {
    public let live: LiveProgram
    public let reloader: ConfigReloader
    public let keys: KeyServices
    public let drain: DrainState
    let clients: UpstreamClients
    let metricsFactory: any MetricsFactory

    /// - Parameters:
    ///   - clients: The upstream connection pools; the caller shuts them down after the server
    ///     stopped.
    ///   - keys: Virtual keys, budgets and spend; nil: the master key only, no spend.
    ///   - configFile: The file a reload reads (default: the one `program` was compiled from).
    ///   - overrides: Environment and flag values a reload applies over the file again.
    ///   - tracing: Where request spans go; nil: no tracing.
    public init(
        program: GatewayProgram, clients: UpstreamClients, keys: KeyServices? = nil, logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory, configFile: String? = nil, strict: Bool = false,
        overrides: ConfigOverrides = ConfigOverrides(), tracing: RequestTracing? = nil
    ) {
        let keys = keys ?? KeyServices(program: program, store: nil, logger: logger, metrics: metrics)
        self.keys = keys
        self.clients = clients
        self.metricsFactory = metrics
        let drain = DrainState()
        self.drain = drain
        live = LiveProgram(program: program, clients: clients, metricsFactory: metrics, keys: keys, drain: drain, tracing: tracing)
        reloader = ConfigReloader(live: live, file: configFile ?? program.file, strict: strict, overrides: overrides, logger: logger, metrics: metrics)
    }

    /// Starts a drain: readiness turns not-ready now; at `server.drain_timeout` every upstream
    /// call still running is cancelled, so stalled requests end (streams with an error event)
    /// while their clients can still be written to.
    public func beginDrain() {
        drain.begin()
        let timeout = live.program.settings.drainTimeout
        let clients = clients
        Task {
            try? await Task.sleep(for: timeout)
            await clients.shutdown()
        }
    }
}
