import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import CoreMetrics
import NIOCore
import Prometheus
import SwitchyardCore
import SwitchyardProviders
import SwitchyardServer
import SwitchyardStore

/// Boots the gateway in-process on a free port for a configuration given as YAML text.
enum GatewayHarness {
    static func withGateway<T: Sendable>(
        yaml: String, environment: [String: String] = [:], logHandler: InMemoryLogHandler? = nil,
        metrics: PrometheusCollectorRegistry? = nil,
        _ body: @Sendable (_ client: any TestClientProtocol) async throws -> T
    ) async throws -> T {
        let config = try ConfigLoader.load(yaml: yaml, file: "test.yaml", environment: environment)
        let program = try GatewayProgram(config: config)
        let clients = UpstreamClients()
        var logger = logHandler.map { handler in Logger(label: "gateway-test", factory: { _ in handler }) } ?? Logger(label: "gateway-test")
        logger.logLevel = logHandler == nil ? .warning : .info
        let gateway = Gateway(
            program: program, clients: clients, logger: logger,
            metrics: metrics.map { PrometheusMetricsFactory.switchyard($0) } ?? MetricsSystem.factory)
        let app = buildApplication(gateway: gateway, logger: logger, host: "127.0.0.1", port: 0, metrics: metrics)
        do {
            let result = try await app.test(.live) { client in try await body(client) }
            await clients.shutdown()
            return result
        } catch {
            await clients.shutdown()
            throw error
        }
    }

    /// Boots the gateway with the database its config names (opened and migrated); `body` also
    /// gets the store. With `metrics`, the gateway's series go to that registry (served at `/metrics`).
    static func withStoreGateway<T: Sendable>(
        yaml: String, file: String, metrics registry: PrometheusCollectorRegistry? = nil,
        _ body: @Sendable (_ client: any TestClientProtocol, _ store: any GatewayStore) async throws -> T
    ) async throws -> T {
        let program = try GatewayProgram(config: try ConfigLoader.load(yaml: yaml, file: file, environment: [:]))
        let logger = Logger(label: "store-test")
        let store = try await StoreFactory.open(url: program.database.url!, schema: program.database.schema, logger: logger)
        let metrics = registry.map { PrometheusMetricsFactory.switchyard($0) } ?? MetricsSystem.factory
        let keys = KeyServices(program: program, store: store, logger: logger, metrics: metrics)
        let clients = UpstreamClients()
        let gateway = Gateway(program: program, clients: clients, keys: keys, logger: logger, metrics: metrics)
        let app = buildApplication(gateway: gateway, logger: logger, host: "127.0.0.1", port: 0, metrics: registry)
        do {
            let result = try await app.test(.live) { client in try await body(client, store) }
            await keys.shutdown()
            await clients.shutdown()
            return result
        } catch {
            await keys.shutdown()
            await clients.shutdown()
            throw error
        }
    }

    /// A native config with the fake upstream as provider `fake` and a few models on it.
    static func config(upstreamPort: Int, masterKey: String? = nil, extra: String = "") -> String {
        """
        server:
          max_body_size: 64KiB
          access_log: false
        \(masterKey.map { "  master_key: \($0)" } ?? "")
        providers:
          fake: {kind: openai, api_base: "http://127.0.0.1:\(upstreamPort)/v1", api_key: sk-upstream-secret}
          nowhere: {kind: openai, api_base: "http://127.0.0.1:1/v1", api_key: sk-x}
          canned: {kind: mock}
        models:
          client-ok: {provider: fake, model: ok}
          client-stream: {provider: fake, model: stream}
          client-endless: {provider: fake, model: endless}
          client-break: {provider: fake, model: break}
          fail-500: {provider: fake, model: fail-500}
          fail-429: {provider: fake, model: fail-429}
          fail-400: {provider: fake, model: fail-400}
          plain-503: {provider: fake, model: plain-503}
          unreachable: {provider: nowhere, model: anything}
          echo: {provider: canned}
        \(extra)
        """
    }

    static let json: HTTPFields = [.contentType: "application/json"]

    /// A `pipelines:` section: requests with `x-fallback: yes` fall back to model `backup` on
    /// `classes` (such as "context_window, content_policy"); others route as requested.
    static func fallbackPipelines(on classes: String) -> String {
        """
        pipelines:
          main:
            - match:
                - when: {header.x-fallback: "yes"}
                  goto: guarded
                - else: route-requested
          guarded:
            - fallback: {to: [backup], on: [\(classes)]}
            - route-requested
        """
    }

    static func chatBody(model: String, stream: Bool = false, extra: String = "") -> ByteBuffer {
        ByteBuffer(string: #"{"model":"\#(model)","messages":[{"role":"user","content":"hello"}],"stream":\#(stream)\#(extra)}"#)
    }
}
