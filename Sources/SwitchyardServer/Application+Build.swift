public import AsyncHTTPClient
public import Hummingbird
public import Logging
import NIOCore
public import SwitchyardCore
import SwitchyardProviders

/// Builds the gateway's HTTP application for a compiled program. `main` and the tests call this
/// same function.
/// - Parameters:
///   - program: The compiled configuration.
///   - httpClient: The upstream client (see `HTTPClient.makeUpstreamClient()`); the caller owns
///     it and shuts it down after the application stops.
///   - host: Overrides `server.host`.
///   - port: Overrides `server.port` (0 picks a free port).
public func buildApplication(
    program: GatewayProgram, httpClient: HTTPClient, logger: Logger, host: String? = nil, port: Int? = nil
) -> some ApplicationProtocol {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: GatewayMiddleware(masterKey: program.settings.masterKey.map { Array($0.utf8) }, accessLog: program.settings.accessLog))
    ChatController(program: program, providers: ProviderSet(program: program, httpClient: httpClient)).register(with: router)

    let models = ByteBuffer(bytes: program.modelListBody)
    let listModels: @Sendable (Request, GatewayRequestContext) async throws -> Response = { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: models))
    }
    router.get("/v1/models", use: listModels)
    router.get("/models", use: listModels)

    let healthy = ByteBuffer(string: #"{"status":"healthy"}"#)
    let health: @Sendable (Request, GatewayRequestContext) async throws -> Response = { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: healthy))
    }
    for path in ["/health", "/health/liveliness", "/health/liveness", "/health/readiness"] {
        router.get(RouterPath(path), use: health)
    }

    return Application(
        router: router,
        configuration: .init(
            address: .hostname(host ?? program.settings.host, port: port ?? program.settings.port),
            serverName: "switchyard"),
        logger: logger)
}
