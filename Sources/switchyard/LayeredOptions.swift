import ArgumentParser
import Foundation
import SwitchyardCore

/// The configuration file and the settings given over it on the command line, shared by `serve`
/// and `config show`. Values go through the file's parsers (`ConfigOverrides`), so `--port abc`
/// is reported like `port: abc` in the file.
struct LayeredOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Configuration file.")
    var config = "pipelines/default.yaml"

    @Option(help: "Address to listen on (overrides server.host).")
    var host: String?

    @Option(name: .shortAndLong, help: "Port to listen on (overrides server.port).")
    var port: String?

    @Option(help: "Log format: text or json (overrides server.log_format).")
    var logFormat: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "A server: or database: setting over the file and the environment (repeatable).", valueName: "section.key=value"))
    var settings: [String] = []

    /// `SWITCHYARD_<SECTION>_<KEY>` variables, then `--set`, then the dedicated flags: later wins.
    var overrides: ConfigOverrides {
        var overrides = ConfigOverrides(environment: ProcessInfo.processInfo.environment)
        for assignment in settings { overrides.set(assignment) }
        if let host { overrides.flag("--host", setting: "server.host", value: host) }
        if let port { overrides.flag("--port", setting: "server.port", value: port) }
        if let logFormat { overrides.flag("--log-format", setting: "server.log_format", value: logFormat) }
        return overrides
    }
}
