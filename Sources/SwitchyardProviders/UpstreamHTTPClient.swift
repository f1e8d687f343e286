public import AsyncHTTPClient
import NIOCore
import NIOPosix

extension HTTPClient {
    /// The gateway's one upstream client, tuned for proxying: it runs on the server's event
    /// loops (no thread hops), keeps a large keep-alive pool per host, never decompresses (bodies
    /// pass through as they are) and never follows redirects. The caller shuts it down.
    public static func makeUpstreamClient(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1024)
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }
}
