import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import SwitchyardCore
import SwitchyardProviders
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

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "switchyard")
        let program = try loadProgram(path: config)
        let httpClient = HTTPClient.makeUpstreamClient()
        let app = buildApplication(program: program, httpClient: httpClient, logger: logger, host: host, port: port)
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
func loadProgram(path: String) throws -> GatewayProgram {
    do {
        let config = try ConfigLoader.load(path: path)
        for warning in config.warnings { printError(warning.description) }
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
