import Synchronization

/// Whether the gateway is shutting down: `/health/readiness` answers 503 from the first
/// SIGTERM / SIGINT on, so load balancers stop sending while requests in flight finish.
public final class DrainState: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    public func begin() { draining.store(true, ordering: .relaxed) }
}
