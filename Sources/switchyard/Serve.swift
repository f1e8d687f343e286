import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import SwitchyardCore
import SwitchyardProviders
import SwitchyardScrub
import ServiceLifecycle
import UnixSignals
import SwitchyardServer
import SwitchyardStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve a configuration (native or LiteLLM config.yaml).")

    /// `--config`, `--host`, `--port`, `--log-format`, `--set`.
    @OptionGroup var options: LayeredOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Flag(help: "Refuse to start when a LiteLLM config uses keys Switchyard does not support.")
    var strict = false

    @Flag(help: "Reload the configuration when its file changes (checked every second).")
    var watch = false

    func run() async throws {
        // Before anything touches NIO's singleton event loops.
        let eventLoops = CPUAffinity.sizeSingletonThreads(environment: ProcessInfo.processInfo.environment)
        let config = options.config
        let overrides = options.overrides
        let program = try loadProgram(path: config, strict: strict, overrides: overrides)
        // The soft descriptor limit raised to the hard one, and the client cap lowered if the
        // connections still would not fit: running out aborts the process (libdispatch).
        let descriptors = DescriptorBudget.raiseLimit().map { DescriptorBudget(limit: $0, program: program) }
        // One registry for the gateway's own metrics and those of its libraries, served at /metrics.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        // Lines go to stdout from the writer's own thread: a slow reader never stalls a request.
        let writer = LogLineWriter(fileDescriptor: 1, metrics: PrometheusMetricsFactory(registry: registry))
        defer { writer.shutdown() }
        let format = program.settings.logFormat
        LoggingSystem.bootstrap { label in
            var handler = GatewayLogHandler(label: label, format: format, writer: writer)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "switchyard")
        if let eventLoops {
            logger.info("\(eventLoops) event loop\(eventLoops == 1 ? "" : "s"): the CPUs this process may run on")
        }
        if let descriptors, descriptors.lowered { logger.warning("\(descriptors.warning)") }
        if !PCRERegex.isJITAvailable {
            logger.warning("PCRE2 has no JIT compiler on this machine; scrubbing and regex conditions run in its interpreter (slower)")
        }
        let store = try await openStore(program.database, logger: logger)
        let metrics = PrometheusMetricsFactory.switchyard(registry)
        let keys = KeyServices(
            program: program, store: store, prices: try loadPrices(program.settings.modelPricesFile), logger: logger, metrics: metrics)
        let clients = UpstreamClients()
        let traces = try TraceExport.make(program.telemetry, environment: ProcessInfo.processInfo.environment, logger: logger)
        let gateway = Gateway(
            program: program, clients: clients, keys: keys, logger: logger, metrics: metrics, configFile: config, strict: strict,
            overrides: overrides, tracing: traces?.tracing)
        let app = buildApplication(gateway: gateway, logger: logger, metrics: registry, maxClientConnections: descriptors?.clientConnections)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            // First in the list, so the last told to stop: it still sees signals while the rest drains.
            .init(service: SignalHandling(gateway: gateway, logger: logger)),
            .init(service: app),
        ]
        // Stopped after the server drained, so the last requests' spans are exported.
        if let traces { services.insert(.init(service: traces.service), at: 0) }
        // Memory freed by a burst of streams goes back to the kernel.
        services.append(.init(service: MemoryTrim()))
        if watch { services.append(.init(service: ConfigWatch(file: config, reloader: gateway.reloader))) }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The gateway ends stalled upstream calls itself at drain_timeout (streams get an error
        // event); the group's own escalation to cancellation is only a backstop.
        configuration.maximumGracefulShutdownDuration = program.settings.drainTimeout + .seconds(5)
        configuration.maximumCancellationDuration = .seconds(5)
        var failure: (any Error)?
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            failure = error
        }
        // Spend accumulated until the last request ended is written before the process exits.
        await keys.shutdown()
        await clients.shutdown()
        if let failure {
            // A server that could not start or failed (the port taken, …) exits non-zero.
            printError("server stopped: \(failure)")
            throw ExitCode(1)
        }
        logger.info("stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Loads and compiles a configuration, printing every diagnostic as `file:line:column: …` (or
/// `SWITCHYARD_SERVER_PORT: …` for a variable or flag). Exits with status 1 when there are errors.
/// - Parameter overrides: by default the `SWITCHYARD_<SECTION>_<KEY>` variables.
func loadProgram(
    path: String, strict: Bool = false, overrides: ConfigOverrides = ConfigOverrides(environment: ProcessInfo.processInfo.environment)
) throws -> GatewayProgram {
    let config = try loadConfig(path: path, strict: strict, overrides: overrides)
    do {
        return try GatewayProgram(config: config)
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        printError("\(path): not starting")
        throw ExitCode(1)
    }
}

/// Loads a configuration with `overrides` over it, printing its warnings, or every problem and
/// exiting with status 1.
func loadConfig(path: String, strict: Bool = false, overrides: ConfigOverrides) throws -> GatewayConfig {
    do {
        let config = try ConfigLoader.load(path: path, strict: strict, overrides: overrides)
        for warning in config.warnings { printError(warning.description) }
        if config.format == .litellm { printError(config.litellmSummary) }
        return config
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        let count = error.diagnostics.filter { $0.severity == .error }.count
        printError("\(path): \(count) error\(count == 1 ? "" : "s"); not starting")
        throw ExitCode(1)
    }
}

/// Opens the configured database and migrates it. The default SQLite file falls back to an
/// in-memory database when it cannot be created; an explicit URL that fails stops the start.
func openStore(_ settings: DatabaseSettings, logger: Logger) async throws -> (any GatewayStore)? {
    guard let url = settings.url else { return nil }
    do {
        return try await StoreFactory.open(url: url, schema: settings.schema, logger: logger)
    } catch let error as StoreError where settings.isDefault && error.code == .unavailable {
        logger.warning("cannot create the default database; keys and spend are kept in memory only", metadata: ["error": .string(error.message)])
        return try await StoreFactory.open(url: ":memory:", logger: logger)
    } catch {
        printError("database: \(error)")
        printError("not starting")
        throw ExitCode(1)
    }
}

/// The price table: built in, with a LiteLLM `model_prices_and_context_window.json` over it.
func loadPrices(_ file: String?) throws -> PriceTable {
    guard let file else { return .builtIn() }
    guard let data = FileManager.default.contents(atPath: file) else {
        printError("\(file): cannot read the model prices file")
        throw ExitCode(1)
    }
    do {
        return .builtIn(overriddenBy: try PriceTable(litellmJSON: Array(data)))
    } catch {
        printError("\(file): not a LiteLLM model prices file: \(error)")
        throw ExitCode(1)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
