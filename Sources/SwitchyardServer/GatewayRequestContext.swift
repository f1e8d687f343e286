public import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Per-request state the front end carries between middleware and handlers.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `x-switchyard-request-id`: unique per process, cheap to make. The request's logger carries
    /// it as `request.id`, in place of Hummingbird's own `hb.request.id`.
    public let requestID: String
    /// Who is calling; set by `GatewayMiddleware` on every authenticated route.
    var principal: Principal = .open
    /// The request's access-log line; set by `GatewayMiddleware`.
    var accessLog: AccessLog?
    /// The client's connection (its close cancels the request's upstream work).
    let channel: any Channel

    public init(source: Source) {
        self.requestID = RequestIDGenerator.next()
        self.coreContext = .init(source: source)
        self.channel = source.channel
        logger[metadataKey: "hb.request.id"] = nil
        logger[metadataKey: "request.id"] = .string(requestID)
    }

    /// The request id (Hummingbird's `id` reads a logger key this context removes).
    public var id: String { requestID }
}

/// Request ids: a random per-process prefix and a counter, so they are unique across replicas
/// and restarts without a syscall per request.
enum RequestIDGenerator {
    static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt32
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }()
    static let counter = Atomic<Int>(0)

    static func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(prefix)-\(n)"
    }
}
