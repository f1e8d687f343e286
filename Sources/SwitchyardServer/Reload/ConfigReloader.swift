public import CoreMetrics
public import Logging
public import SwitchyardCore
import Synchronization

/// Recompiles the configuration file and, when it compiles, installs the new program (SIGHUP,
/// `POST /admin/reload`, the file watch). The environment and flag values `serve` started with
/// are applied over the file again, so they keep winning over what the file now says. When it does not compile nothing changes: the errors
/// are logged as `file:line:column: message`, returned to the caller and counted.
public final class ConfigReloader: Sendable {
    public enum Outcome: Sendable {
        /// Installed; the warnings of the new file.
        case reloaded(warnings: [ConfigDiagnostic])
        /// Not installed: why (errors with their positions).
        case failed([ConfigDiagnostic])
    }

    let live: LiveProgram
    private let file: String
    private let strict: Bool
    private let overrides: ConfigOverrides
    private let logger: Logger
    private let succeeded: Counter
    private let failed: Counter
    /// Reloads run one at a time.
    private let running = Mutex(())

    public init(
        live: LiveProgram, file: String, strict: Bool = false, overrides: ConfigOverrides = ConfigOverrides(), logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.live = live
        self.file = file
        self.strict = strict
        self.overrides = overrides
        self.logger = logger
        self.succeeded = Counter(label: "switchyard_config_reloads_total", dimensions: [("result", "success")], factory: metrics)
        self.failed = Counter(label: "switchyard_config_reloads_total", dimensions: [("result", "failure")], factory: metrics)
    }

    /// - Parameter trigger: what asked (`SIGHUP`, `admin`, `file watch`), for the log.
    @discardableResult
    public func reload(trigger: String) -> Outcome {
        running.withLock { _ in
            let program: GatewayProgram
            do {
                let config = try ConfigLoader.load(path: file, strict: strict, overrides: overrides)
                program = try GatewayProgram(config: config)
            } catch let error as ConfigError {
                failed.increment()
                let errors = error.diagnostics.filter { $0.severity == .error }
                for diagnostic in errors {
                    logger.error("reload: \(diagnostic.description)")
                }
                logger.error("configuration not reloaded; the running one stays", metadata: ["trigger": .string(trigger), "errors": .stringConvertible(errors.count)])
                return .failed(errors)
            } catch {
                failed.increment()
                logger.error("configuration not reloaded; the running one stays", metadata: ["trigger": .string(trigger), "error.type": .string(String(describing: type(of: error)))])
                return .failed([])
            }
            let previous = live.program
            for setting in Self.restartOnlyChanges(from: previous.settings, to: program.settings, databases: (previous.database, program.database)) {
                logger.warning("reload: \(setting) changed; it takes effect at the next start")
            }
            live.install(program)
            succeeded.increment()
            for warning in program.warnings { logger.warning("reload: \(warning.description)") }
            logger.info("configuration reloaded", metadata: ["trigger": .string(trigger), "models": .stringConvertible(program.modelNames.count)])
            return .reloaded(warnings: program.warnings)
        }
    }

    /// Settings a reload does not apply (the listener, the master key, the database, logging,
    /// client connection limits).
    static func restartOnlyChanges(from old: ServerSettings, to new: ServerSettings, databases: (DatabaseSettings, DatabaseSettings)) -> [String] {
        var changed: [String] = []
        if old.host != new.host || old.port != new.port { changed.append("server.host / server.port") }
        if old.masterKey != new.masterKey { changed.append("server.master_key") }
        if old.logFormat != new.logFormat || old.accessLog != new.accessLog { changed.append("server.log_format / server.access_log") }
        if old.keepAliveTimeout != new.keepAliveTimeout || old.drainTimeout != new.drainTimeout { changed.append("server.keep_alive_timeout / server.drain_timeout") }
        if databases.0.url != databases.1.url { changed.append("database.url") }
        return changed
    }
}
