import CoreMetrics
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization
import SwitchyardCore

/// Client-side limits, in every client connection's pipeline (after HTTP decoding): a cap on
/// open connections (503), a deadline for a request's head (408: slow-header clients), one for its
/// body (408), and header size / count limits (431). Each answer closes the connection and is
/// counted in `switchyard_client_connections_refused_total{reason}`.
final class ClientConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Settings and counters shared by every connection of one server.
    final class Limits: Sendable {
        let headerTimeout: TimeAmount
        let bodyTimeout: TimeAmount
        /// How long a kept-alive connection may wait for its next request's head.
        let nextHeadTimeout: TimeAmount
        let maxConnections: Int
        let open = Atomic<Int>(0)
        private let refused: [Reason: Counter]
        private let openGauge: Gauge

        enum Reason: String, CaseIterable {
            case tooManyConnections = "too_many_connections"
            case headerTimeout = "header_timeout"
            case bodyTimeout = "body_timeout"
            case headersTooLarge = "headers_too_large"
        }

        /// - Parameter maxConnections: the cap in force: `server.max_client_connections`, or
        ///   less when the descriptor limit cannot hold it (`DescriptorBudget`).
        init(settings: ServerSettings, maxConnections: Int, metrics: any MetricsFactory) {
            headerTimeout = .init(settings.headerTimeout)
            bodyTimeout = .init(settings.bodyTimeout)
            nextHeadTimeout = .init(settings.keepAliveTimeout + settings.headerTimeout)
            self.maxConnections = maxConnections
            refused = Dictionary(uniqueKeysWithValues: Reason.allCases.map {
                ($0, Counter(label: "switchyard_client_connections_refused_total", dimensions: [("reason", $0.rawValue)], factory: metrics))
            })
            openGauge = Gauge(label: "switchyard_client_connections", factory: metrics)
        }

        func count(_ reason: Reason) { refused[reason]?.increment() }
        func opened() -> Bool {
            let now = open.wrappingAdd(1, ordering: .relaxed).newValue
            openGauge.record(now)
            return now <= maxConnections
        }
        func closed() { openGauge.record(open.wrappingSubtract(1, ordering: .relaxed).newValue) }
    }

    private let limits: Limits
    private var timer: Scheduled<Void>?
    private var counted = false
    private var refusing = false
    private var closeAfterAnswer = false

    init(limits: Limits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        if limits.opened() {
            arm(context, after: limits.headerTimeout, .headerTimeout)
        } else {
            refuse(context, .serviceUnavailable, .tooManyConnections, "The gateway has too many open connections; retry shortly.")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if counted { limits.closed() }
        counted = false
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refusing else { return }
        switch unwrapInboundIn(data) {
        case .head: arm(context, after: limits.bodyTimeout, .bodyTimeout)
        // The request is in; the answer may take as long as its upstream deadlines allow.
        case .end: timer?.cancel()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError, case .headerOverflow = error {
            refuse(context, .init(code: 431), .headersTooLarge, "The request's headers are larger than the gateway accepts.")
            return
        }
        context.fireErrorCaught(error)
    }

    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount, _ reason: Limits.Reason) {
        timer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            handler.refuse(context, .requestTimeout, reason, "The request did not arrive in time.")
        }
    }

    /// Answers `status` with an OpenAI-shaped error and closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status, _ reason: Limits.Reason, _ message: String) {
        guard !refusing else { return }
        refusing = true
        timer?.cancel()
        limits.count(reason)
        let error = GatewayError(reason == .tooManyConnections ? .serviceUnavailable : .invalidRequest, status: status.code, message: message)
        let body = ByteBuffer(bytes: error.body)
        let head = HTTPResponse(status: status, headerFields: [
            .contentType: "application/json", .contentLength: String(body.readableBytes), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    /// When an answer ends, the next request's head must come within the keep-alive timeout plus
    /// the header timeout.
    /// An answer refusing the body (413) closes the connection after it: the client may still be
    /// sending a body nobody will read.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where head.status == .contentTooLarge:
            head.headerFields[.connection] = "close"
            closeAfterAnswer = true
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where closeAfterAnswer:
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { _ in context.close(promise: nil) }
            promise.map { written.futureResult.cascade(to: $0) }
            context.writeAndFlush(data, promise: written)
        case .end where !refusing:
            arm(context, after: limits.nextHeadTimeout, .headerTimeout)
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }
}
