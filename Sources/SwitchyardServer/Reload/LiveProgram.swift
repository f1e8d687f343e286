public import CoreMetrics
public import SwitchyardCore
public import SwitchyardProviders
import Synchronization

/// The program new requests run on, with everything built from it (adapters, metric handles).
/// A reload replaces it whole: a request reads it once when it starts and finishes on it, so
/// requests and streams already running are never touched by a reload.
public final class LiveProgram: Sendable {
    private let current: Mutex<RequestPath>
    private let clients: UpstreamClients
    private let metricsFactory: any MetricsFactory
    let keys: KeyServices
    private let drain: DrainState
    private let tracing: RequestTracing?

    init(
        program: GatewayProgram, clients: UpstreamClients, metricsFactory: any MetricsFactory, keys: KeyServices, drain: DrainState,
        tracing: RequestTracing? = nil
    ) {
        self.clients = clients
        self.metricsFactory = metricsFactory
        self.keys = keys
        self.drain = drain
        self.tracing = tracing
        current = Mutex(Self.path(for: program, clients: clients, metricsFactory: metricsFactory, keys: keys, drain: drain, tracing: tracing))
    }

    /// What a request starting now runs on.
    var path: RequestPath { current.withLock { $0 } }

    public var program: GatewayProgram { path.program }

    /// Makes `program` the one new requests run on, after carrying the live state of the current
    /// one over (cooldowns, latency averages, rate-limit buckets: see `inheritState(from:)`).
    /// Connection pools are shared by both.
    public func install(_ program: GatewayProgram) {
        let path = Self.path(for: program, clients: clients, metricsFactory: metricsFactory, keys: keys, drain: drain, tracing: tracing)
        current.withLock { current in
            program.inheritState(from: current.program)
            current = path
        }
    }

    private static func path(
        for program: GatewayProgram, clients: UpstreamClients, metricsFactory: any MetricsFactory, keys: KeyServices, drain: DrainState,
        tracing: RequestTracing?
    ) -> RequestPath {
        RequestPath(
            program: program, providers: ProviderSet(program: program, clients: clients),
            metrics: GatewayMetrics(factory: metricsFactory, program: program), keys: keys, drain: drain, tracing: tracing)
    }
}
