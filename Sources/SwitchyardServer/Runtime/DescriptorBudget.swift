#if canImport(Glibc)
import Glibc
#endif
public import SwitchyardCore

/// Keeps the process's connections inside its file descriptor limit.
///
/// Running out of descriptors is fatal, not a refusal: libdispatch's worker monitor (Linux) opens
/// `/proc/<tid>/stat` once a second and aborts the process when that `open` fails. So at start the
/// soft limit is raised to the hard one (as Go's runtime does), and when the client connection
/// cap plus the upstream connections it can lead to plus a reserve still exceed it, the client
/// connection cap is lowered until they fit (the excess clients get 503s, which the process
/// survives). An upstream connection serves one request at a time and a client connection
/// carries one request at a time, so the upstream connections in use are at most
/// `min(Σ pool sizes, client connections)`.
public struct DescriptorBudget: Sendable, Equatable {
    /// Descriptors kept for everything that is not a connection: the database, log and config
    /// files, the runtime's `/proc` reads, the event loops' epoll and eventfd descriptors.
    public static let reserve = 256

    /// The soft limit the connections must fit in.
    public var limit: Int
    /// `server.max_client_connections` as configured.
    public var configuredClientConnections: Int
    /// The upstream pools' `max_connections`, summed over the providers.
    public var upstreamConnections: Int
    /// The client connection cap that fits (the configured one when it does).
    public var clientConnections: Int

    /// - Parameters:
    ///   - limit: the soft `RLIMIT_NOFILE` after raising it.
    public init(limit: Int, configuredClientConnections: Int, upstreamConnections: Int) {
        self.limit = limit
        self.configuredClientConnections = configuredClientConnections
        self.upstreamConnections = upstreamConnections
        let room = max(limit - Self.reserve, 2)
        let client = configuredClientConnections
        if client + min(upstreamConnections, client) <= room {
            clientConnections = client
        } else if room - upstreamConnections >= upstreamConnections {
            // Every pool can be full and the clients still fit beside it.
            clientConnections = room - upstreamConnections
        } else {
            // Each client connection may hold one upstream connection.
            clientConnections = room / 2
        }
    }

    /// For a program: its client connection cap and its providers' pool sizes.
    public init(limit: Int, program: GatewayProgram) {
        let upstream = program.providers.reduce(0) { $0 + ($1.spec.maxConnections ?? program.settings.maxConnectionsPerProvider) }
        self.init(limit: limit, configuredClientConnections: program.settings.maxClientConnections, upstreamConnections: upstream)
    }

    /// Whether the client connection cap had to be lowered.
    public var lowered: Bool { clientConnections < configuredClientConnections }

    /// What the start logs when the cap was lowered.
    public var warning: String {
        "server.max_client_connections lowered from \(configuredClientConnections) to \(clientConnections): "
            + "the descriptor limit (ulimit -n) is \(limit), and up to \(min(upstreamConnections, configuredClientConnections)) "
            + "upstream connections and \(Self.reserve) other descriptors must fit beside the clients; "
            + "raise the limit (LimitNOFILE=, ulimit -n) or lower the connection caps"
    }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit.
    /// - Returns: the soft limit now in force (unlimited reads as `Int.max`), or nil where it
    ///   cannot be read.
    public static func raiseLimit() -> Int? {
        #if os(Linux)
        var limits = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return nil }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return limits.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limits.rlim_cur)
        #else
        return nil
        #endif
    }
}
