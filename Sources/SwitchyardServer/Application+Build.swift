public import Hummingbird
public import Logging
import CoreMetrics
import NIOCore
public import Prometheus
public import SwitchyardCore
import SwitchyardProviders
import SwitchyardStore

/// Builds the gateway's HTTP application. `serve` and the tests call this same function.
/// - Parameters:
///   - gateway: The live program, its reloader, keys and drain state (see `Gateway`).
///   - host: Overrides `server.host`.
///   - port: Overrides `server.port` (0 picks a free port).
///   - metrics: The Prometheus registry served at `/metrics`; nil serves no `/metrics`.
///   - maxClientConnections: The client connection cap in force when it is lower than
///     `server.max_client_connections` (`DescriptorBudget`); nil: that setting.
public func buildApplication(
    gateway: Gateway, logger: Logger, host: String? = nil, port: Int? = nil, metrics registry: PrometheusCollectorRegistry? = nil,
    maxClientConnections: Int? = nil
) -> some ApplicationProtocol {
    let live = gateway.live
    let keys = gateway.keys
    let settings = live.program.settings
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: GatewayMiddleware(authenticator: keys.authenticator, accessLog: settings.accessLog))
    ChatRoutes(live: live).register(with: router)
    // Responses are kept in the key database when its store can hold them (`NativeStore` can).
    let archive = ResponseArchive(store: keys.store as? any ResponseStore, retention: live.program.database.responseRetention)
    ResponsesRoutes(live: live, archive: archive).register(with: router)
    EmbeddingsController(live: live).register(with: router)
    let management = ManagementController(keys: keys, maxBodySize: settings.maxBodySize)
    management.register(with: router)
    AdminController(reloader: gateway.reloader, management: management).register(with: router)
    if let registry {
        router.get("/metrics") { _, _ -> Response in
            live.path.metrics.refreshDeploymentState()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    // A virtual key with an allow-list sees only the models it may call (as in LiteLLM).
    let listModels: @Sendable (Request, GatewayRequestContext) async throws -> Response = { _, context in
        let program = live.program
        var body = ByteBuffer(bytes: program.modelListBody)
        if let entry = context.principal.entry, !entry.key.models.isEmpty || !(entry.team?.models.isEmpty ?? true) {
            body = ByteBuffer(bytes: GatewayProgram.modelList(program.availableModels.filter { KeyServices.allows(entry, model: $0) }))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }
    router.get("/v1/models", use: listModels)
    router.get("/models", use: listModels)

    // Liveliness answers from memory; readiness also says whether the database answers (cached)
    // and turns not-ready as soon as a drain starts.
    let healthy = ByteBuffer(string: #"{"status":"healthy"}"#)
    let health: @Sendable (Request, GatewayRequestContext) async throws -> Response = { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: healthy))
    }
    for path in ["/health", "/health/liveliness", "/health/liveness"] {
        router.get(RouterPath(path), use: health)
    }
    let unreachable = ByteBuffer(string: #"{"status":"unhealthy","db":"unreachable"}"#)
    let draining = ByteBuffer(string: #"{"status":"draining"}"#)
    let drain = gateway.drain
    router.get("/health/readiness") { _, _ -> Response in
        if drain.isDraining {
            return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: draining))
        }
        return keys.readiness.isReady
            ? Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: healthy))
            : Response(status: .serviceUnavailable, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: unreachable))
    }

    let limits = ClientConnectionGuard.Limits(
        settings: settings, maxConnections: maxClientConnections ?? settings.maxClientConnections, metrics: gateway.metricsFactory)
    return Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [ClientConnectionGuard(limits: limits), ClientDisconnect.Handler()],
            idleTimeout: .init(settings.keepAliveTimeout),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: settings.maxHeaderSize, maxHeaderListSize: settings.maxHeaderSize,
                maxHeaderFieldCount: settings.maxHeaderCount))),
        configuration: .init(
            address: .hostname(host ?? settings.host, port: port ?? settings.port),
            serverName: "switchyard",
            // Bursts of new connections (thousands of streams at once) wait in the kernel's queue
            // instead of being refused.
            backlog: 4096),
        services: keys.ledger.map { [$0] } ?? [],
        logger: logger)
}
