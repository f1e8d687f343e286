import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// Cancels a request's work when its client goes away. Hummingbird does not cancel a handler
/// whose client left (and keeps half-closed connections open), so a request waiting on a stalled
/// upstream would hold that upstream connection until a deadline. `Handler`, in every client
/// connection's pipeline, registers the connection and reports its end — the client's FIN
/// (as nginx treats it: the client is gone) or the close; a request runs its upstream work inside
/// `whileConnected`, and that end cancels the task: the upstream call is cancelled and its
/// connection closed.
final class ClientDisconnect: @unchecked Sendable {
    /// `@unchecked Sendable`: `task` and `closed` are only touched under `lock`; the task is
    /// cancelled only while it is inside `whileConnected` (it clears itself before leaving).
    private let lock = NIOLock()
    private var task: UnsafeCurrentTask?
    private var closed = false

    private static let connections = Mutex<[ObjectIdentifier: ClientDisconnect]>([:])

    /// The watch of `channel`'s connection; nil for a channel without `Handler`.
    static func watch(_ channel: any Channel) -> ClientDisconnect? {
        connections.withLock { $0[ObjectIdentifier(channel)] }
    }

    /// Runs `body`; if the client goes away meanwhile, the task running it is cancelled.
    func whileConnected<T, Failure: Error>(_ body: () async throws(Failure) -> T) async throws(Failure) -> T {
        withUnsafeCurrentTask { task in
            lock.withLock {
                if closed { task?.cancel() } else { self.task = task }
            }
        }
        defer { lock.withLock { task = nil } }
        return try await body()
    }

    private func clientLeft() {
        lock.withLock {
            closed = true
            task?.cancel()
        }
    }

    /// Registers its connection when added and reports the client's end.
    final class Handler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = NIOAny

        func handlerAdded(context: ChannelHandlerContext) {
            let id = ObjectIdentifier(context.channel)
            ClientDisconnect.connections.withLock { $0[id] = ClientDisconnect() }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            let id = ObjectIdentifier(context.channel)
            ClientDisconnect.connections.withLock { $0.removeValue(forKey: id) }?.clientLeft()
        }

        func channelInactive(context: ChannelHandlerContext) {
            ClientDisconnect.watch(context.channel)?.clientLeft()
            context.fireChannelInactive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .inputClosed = event as? ChannelEvent { ClientDisconnect.watch(context.channel)?.clientLeft() }
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// `whileConnected` on the request's connection, or just `body` when it has no watch.
func whileClientConnected<T, Failure: Error>(
    _ channel: any Channel, _ body: () async throws(Failure) -> T
) async throws(Failure) -> T {
    guard let watch = ClientDisconnect.watch(channel) else { return try await body() }
    return try await watch.whileConnected(body)
}
