public import AsyncHTTPClient
public import Hummingbird
public import Logging
import CoreMetrics
import NIOCore
public import Prometheus
public import SwitchyardCore
import SwitchyardProviders
import SwitchyardStore

/// Builds the gateway's HTTP application for a compiled program. `main` and the tests call this
/// same function.
/// - Parameters:
///   - program: The compiled configuration.
///   - httpClient: The upstream client (see `HTTPClient.makeUpstreamClient()`); the caller owns
///     it and shuts it down after the application stops.
///   - host: Overrides `server.host`.
///   - port: Overrides `server.port` (0 picks a free port).
///   - metrics: The Prometheus registry served at `/metrics` and written to; nil sends the
///     gateway's metrics to whatever `MetricsSystem` is bootstrapped and serves no `/metrics`.
///   - keys: Virtual keys, budgets and spend (see `KeyServices`); nil: the master key only, no
///     spend. Its spend ledger runs as a service of the application and flushes on shutdown.
public func buildApplication(
    program: GatewayProgram, httpClient: HTTPClient, logger: Logger, host: String? = nil, port: Int? = nil,
    metrics registry: PrometheusCollectorRegistry? = nil, keys: KeyServices? = nil
) -> some ApplicationProtocol {
    let metricsFactory: any MetricsFactory = registry.map { GatewayMetrics.prometheusFactory($0) } ?? MetricsSystem.factory
    let keys = keys ?? KeyServices(program: program, store: nil, logger: logger, metrics: metricsFactory)
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: GatewayMiddleware(authenticator: keys.authenticator, accessLog: program.settings.accessLog))
    let metrics = GatewayMetrics(factory: metricsFactory, program: program)
    // One set of adapters for every route: adapters hold per-provider state (Vertex AI's cached
    // access token) that all routes share.
    let path = RequestPath(
        program: program, providers: ProviderSet(program: program, httpClient: httpClient), metrics: metrics, keys: keys)
    ChatRoutes(path: path).register(with: router)
    // Responses are kept in the key database when its store can hold them (`NativeStore` can).
    let archive = ResponseArchive(store: keys.store as? any ResponseStore, retention: program.database.responseRetention)
    ResponsesRoutes(path: path, archive: archive).register(with: router)
    EmbeddingsController(path: path).register(with: router)
    ManagementController(keys: keys, maxBodySize: program.settings.maxBodySize).register(with: router)
    if let registry {
        router.get("/metrics") { _, _ -> Response in
            metrics.refreshDeploymentState()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    let models = ByteBuffer(bytes: program.modelListBody)
    // A virtual key with an allow-list sees only the models it may call (as in LiteLLM).
    let listModels: @Sendable (Request, GatewayRequestContext) async throws -> Response = { _, context in
        var body = models
        if let entry = context.principal.entry, !entry.key.models.isEmpty || !(entry.team?.models.isEmpty ?? true) {
            body = ByteBuffer(bytes: GatewayProgram.modelList(program.availableModels.filter { KeyServices.allows(entry, model: $0) }))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }
    router.get("/v1/models", use: listModels)
    router.get("/models", use: listModels)

    // Liveliness answers from memory; readiness also says whether the database answers (cached).
    let healthy = ByteBuffer(string: #"{"status":"healthy"}"#)
    let health: @Sendable (Request, GatewayRequestContext) async throws -> Response = { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: healthy))
    }
    for path in ["/health", "/health/liveliness", "/health/liveness"] {
        router.get(RouterPath(path), use: health)
    }
    let unreachable = ByteBuffer(string: #"{"status":"unhealthy","db":"unreachable"}"#)
    router.get("/health/readiness") { _, _ -> Response in
        keys.readiness.isReady
            ? Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: healthy))
            : Response(status: .serviceUnavailable, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: unreachable))
    }

    return Application(
        router: router,
        configuration: .init(
            address: .hostname(host ?? program.settings.host, port: port ?? program.settings.port),
            serverName: "switchyard"),
        services: keys.ledger.map { [$0] } ?? [],
        logger: logger)
}
