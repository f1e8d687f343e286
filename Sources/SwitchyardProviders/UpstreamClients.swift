public import AsyncHTTPClient
public import NIOCore
import NIOPosix
import Synchronization
import SwitchyardCore

/// The gateway's upstream HTTP clients: one connection pool per provider and per pair of connect
/// and idle deadlines (most configs have one per provider). Pools are kept across reloads, so a
/// new program reuses warm connections. Every client runs on the server's event loops (no thread
/// hops), never decompresses (bodies pass through as they are) and never follows redirects.
public final class UpstreamClients: Sendable {
    struct Key: Hashable {
        var provider: String
        var connect: Duration
        var idle: Duration
        var maxConnections: Int
    }

    private let eventLoopGroup: any EventLoopGroup
    private let clients = Mutex<[Key: HTTPClient]>([:])

    public init(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.eventLoopGroup = eventLoopGroup
    }

    /// The client for calls to `provider` with these deadlines, made on first use.
    func client(provider: String, deadlines: UpstreamDeadlines, maxConnections: Int) -> HTTPClient {
        let key = Key(provider: provider, connect: deadlines.connect, idle: deadlines.idle, maxConnections: maxConnections)
        return clients.withLock { clients in
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration()
            configuration.decompression = .disabled
            configuration.redirectConfiguration = .disallow
            // `read` is the idle deadline: no byte for this long once a request is sent closes the
            // connection and fails the call (`HTTPClientError.readTimeout`).
            configuration.timeout = .init(connect: .init(deadlines.connect), read: .init(deadlines.idle))
            configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnections)
            // A refused or failed connection fails the call at once (a `connect` failure retry and
            // fallback see), instead of being retried until the headers deadline.
            configuration.connectionPool.retryConnectionEstablishment = false
            // No span of AsyncHTTPClient's own: by default it opens one per request on the global
            // tracer (a no-op one included) and parses the URL again for its attributes.
            configuration.tracing.tracer = nil
            let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    /// Closes every pool; call once, after the server stopped.
    public func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }
}
