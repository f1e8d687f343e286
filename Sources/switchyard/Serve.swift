import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import SwitchyardCore
import SwitchyardProviders
import SwitchyardScrub
import SwitchyardServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve a configuration (native or LiteLLM config.yaml).")

    @Option(name: .shortAndLong, help: "Configuration file.")
    var config = "pipelines/default.yaml"

    @Option(help: "Address to listen on (overrides server.host).")
    var host: String?

    @Option(name: .shortAndLong, help: "Port to listen on (overrides server.port).")
    var port: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Flag(help: "Refuse to start when a LiteLLM config uses keys Switchyard does not support.")
    var strict = false

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "switchyard")
        let program = try loadProgram(path: config, strict: strict)
        if !PCRERegex.isJITAvailable {
            logger.warning("PCRE2 has no JIT compiler on this machine; scrubbing and regex conditions run in its interpreter (slower)")
        }
        let httpClient = HTTPClient.makeUpstreamClient()
        // One registry for the gateway's own metrics and those of its libraries, served at /metrics.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app = buildApplication(program: program, httpClient: httpClient, logger: logger, host: host, port: port, metrics: registry)
        do {
            try await app.runService()
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Loads and compiles a configuration, printing every diagnostic as `file:line:column: …`.
/// Exits with status 1 when the file has errors.
func loadProgram(path: String, strict: Bool = false) throws -> GatewayProgram {
    do {
        let config = try ConfigLoader.load(path: path, strict: strict)
        for warning in config.warnings { printError(warning.description) }
        if config.format == .litellm { printError(config.litellmSummary) }
        return try GatewayProgram(config: config)
    } catch {
        for diagnostic in error.diagnostics { printError(diagnostic.description) }
        let count = error.diagnostics.filter { $0.severity == .error }.count
        printError("\(path): \(count) error\(count == 1 ? "" : "s"); not starting")
        throw ExitCode(1)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
