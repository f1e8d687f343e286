public import Hummingbird
import Synchronization

/// Per-request state the front end carries between middleware and handlers.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `x-switchyard-request-id`: unique per process, cheap to make.
    public var requestID: String
    /// Filled in by the chat handler for the access log.
    public var model: String?
    public var target: String?
    /// Who is calling; set by `GatewayMiddleware` on every authenticated route.
    var principal: Principal = .open

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = RequestIDGenerator.next()
        self.model = nil
        self.target = nil
    }
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
