import Foundation
import Yams

/// Translates a LiteLLM proxy `config.yaml` into the text of the equivalent native
/// configuration, and records how each LiteLLM key carried over.
///
/// Serving a LiteLLM file and serving its `switchyard import` output run the same program: both
/// read the text this produces with the native reader. Problems in LiteLLM values are reported
/// while translating, at the LiteLLM file's line and column.
final class LiteLLMTranslator {
    typealias Entries = [(key: String, keyNode: Node, value: Node)]

    let reader: YAMLReader
    private(set) var notes: [MigrationNote] = []
    /// Unsupported keys, reported once each (per folded path) after reading.
    private var unsupported: [(node: Node, path: String, detail: String)] = []

    var deployments: [Deployment] = []
    var credentials: [String: Entries] = [:]
    var masterKey: (text: String, mark: SourceMark)?
    var requestTimeout: (value: Duration, mark: SourceMark)?
    var databaseURL: (text: String, mark: SourceMark)?
    var spendLogRetention: (value: Duration, mark: SourceMark)?
    /// `litellm_settings.enable_end_user_cost_tracking_prometheus_only`: `server.metrics_user_labels`.
    var metricsUserLabels: (value: Bool, mark: SourceMark)?
    var router = RouterSettings()
    var guardrails: [Guardrail] = []
    /// Variables defined by `environment_variables` (and not by the process): references to
    /// them are written into the native file as their values, which the LiteLLM file held anyway.
    var fileVariables: [String: String] = [:]
    /// With `enable_tag_filtering`: per group, the model serving each tag, and the one serving
    /// requests whose tags match nothing (the 'default'-tagged deployments).
    var tagRoutes: [String: (tags: [(tag: String, model: String)], otherwise: String?)] = [:]

    init(reader: YAMLReader) {
        self.reader = reader
    }

    // MARK: Notes

    func note(_ node: Node, _ path: String, _ status: MigrationNote.Status, _ detail: String) {
        let key = MigrationNote.fold(path)
        if let index = notes.firstIndex(where: { $0.key == key && $0.status == status }) {
            notes[index].occurrences += 1
            return
        }
        let mark = reader.mark(node, path)
        notes.append(MigrationNote(key: key, status: status, detail: detail, line: mark.line, column: mark.column))
        if status == .unsupported { unsupported.append((node, path, detail)) }
    }

    /// Reports each unsupported key once (at its first occurrence): a warning, or with
    /// `--strict` an error.
    func reportUnsupported() {
        let inFileOrder = unsupported.sorted { ($0.node.mark?.line ?? 0, $0.node.mark?.column ?? 0) < ($1.node.mark?.line ?? 0, $1.node.mark?.column ?? 0) }
        for item in inFileOrder {
            let count = notes.first { $0.key == MigrationNote.fold(item.path) && $0.status == .unsupported }?.occurrences ?? 1
            let more = count > 1 ? " (and \(count - 1) more like it)" : ""
            if reader.strict {
                reader.error(item.node, item.path, "unsupported LiteLLM setting: \(item.detail)\(more)",
                    hint: "remove it, or run without --strict to ignore it")
            } else {
                reader.warning(item.node, item.path, "unsupported LiteLLM setting, ignored: \(item.detail)\(more)")
            }
        }
    }

    // MARK: Top level

    static let sectionHints: [String: String] = [
        "litellm_settings.callbacks": "logging/observability callbacks are not implemented; use the access log and /metrics",
        "litellm_settings.success_callback": "logging callbacks are not implemented; use the access log and /metrics",
        "litellm_settings.failure_callback": "logging callbacks are not implemented; use the access log and /metrics",
        "litellm_settings.service_callback": "service callbacks are not implemented",
        "litellm_settings.cache": "response caching is not implemented",
        "litellm_settings.cache_params": "response caching is not implemented",
        "litellm_settings.set_verbose": "use --log-level debug",
        "litellm_settings.json_logs": "use `serve --log-format json`",
        "general_settings.alerting": "alerting (Slack, email) is not implemented",
        "general_settings.store_model_in_db": "models come from the file only",
        "router_settings.redis_host": "routing state (usage, cooldown) is per process; Redis is not used",
        "router_settings.redis_port": "routing state (usage, cooldown) is per process; Redis is not used",
        "router_settings.redis_password": "routing state (usage, cooldown) is per process; Redis is not used",
        "mcp_servers": "the MCP gateway is not implemented",
        "callback_settings": "logging callbacks are not implemented",
        "litellm_settings.guardrails": "the old guardrails format is not supported; use the top-level 'guardrails:' list",
    ]

    func unsupportedKey(_ node: Node, _ path: String) {
        let folded = MigrationNote.fold(path)
        note(node, path, .unsupported, Self.sectionHints[folded] ?? "not implemented")
    }

    /// Reads the whole file. `root` is the top-level mapping (with `include:`d files merged).
    func read(_ root: Entries) {
        // environment_variables first: every os.environ/ reference below may name one.
        if let variables = root.first(where: { $0.key == "environment_variables" }) {
            readEnvironment(variables.value)
        }
        if let list = root.first(where: { $0.key == "credential_list" }) {
            readCredentials(list.value)
        }
        // litellm_settings before router_settings: where both set a key, router_settings wins.
        for section in ["litellm_settings", "router_settings"] {
            for entry in root where entry.key == section {
                guard let fields = reader.mapping(entry.value, section) else { continue }
                for field in fields {
                    readRouterSetting(field, path: join(section, field.key), section: section)
                }
            }
        }
        for entry in root {
            switch entry.key {
            case "model_list":
                for node in reader.sequence(entry.value, "model_list") ?? [] {
                    readDeployment(node, index: deploymentsRead)
                    deploymentsRead += 1
                }
            case "general_settings":
                guard let fields = reader.mapping(entry.value, entry.key) else { continue }
                for field in fields {
                    let path = join(entry.key, field.key)
                    if field.key == "database_url" {
                        var missing: String?
                        if let text = raw(field.value), reader.string(field.value, path, missingVariable: &missing) != nil {
                            databaseURL = (text, reader.mark(field.value, path))
                            note(field.keyNode, path, .exact, "database.url (schema: auto): LiteLLM's own tables are served in place when the database has them")
                        } else if let missing {
                            reader.warning(
                                field.value, path,
                                "environment variable '\(missing)' is not set: running without a database (no virtual keys, no spend)")
                        }
                    } else if field.key == "maximum_spend_logs_retention_period" {
                        if let duration = reader.duration(field.value, path) {
                            spendLogRetention = (duration, reader.mark(field.value, path))
                            note(field.keyNode, path, .exact, "database.spend_log_retention")
                        }
                    } else if field.key == "master_key" {
                        if GatewayConfig.readMasterKey(field.value, path, reader: reader) != nil, let text = raw(field.value) {
                            masterKey = (text, reader.mark(field.value, path))
                            note(field.keyNode, path, .exact, "server.master_key")
                        }
                    } else {
                        unsupportedKey(field.keyNode, path)
                    }
                }
            case "guardrails":
                readGuardrails(entry.value)
            case "environment_variables", "credential_list", "litellm_settings", "router_settings", "include":
                break
            default:
                unsupportedKey(entry.keyNode, entry.key)
            }
        }
    }

    private var deploymentsRead = 0

    /// A scalar as the native file should have it: `os.environ/NAME` stays a reference unless
    /// `NAME` comes from `environment_variables`.
    func raw(_ node: Node) -> String? {
        guard let text = node.scalar?.string else { return nil }
        if text.hasPrefix("os.environ/"), let value = fileVariables[String(text.dropFirst("os.environ/".count))] {
            return value
        }
        return text
    }

    private func readEnvironment(_ node: Node) {
        guard let entries = reader.mapping(node, "environment_variables") else { return }
        for entry in entries {
            let path = join("environment_variables", entry.key)
            // The process environment wins, as in LiteLLM.
            if reader.environment[entry.key] == nil, let value = reader.string(entry.value, path) {
                reader.environment[entry.key] = value
                fileVariables[entry.key] = value
            }
            note(entry.keyNode, path, .exact, "os.environ/ references to it are written into the native file as its value")
        }
    }

    private func readCredentials(_ node: Node) {
        for (i, item) in (reader.sequence(node, "credential_list") ?? []).enumerated() {
            let path = "credential_list[\(i)]"
            guard let fields = reader.mapping(item, path) else { continue }
            guard let name = fields.first(where: { $0.key == "credential_name" }).flatMap({ reader.string($0.value, join(path, "credential_name")) }) else {
                reader.error(item, path, "missing 'credential_name'")
                continue
            }
            for field in fields {
                switch field.key {
                case "credential_name": break
                case "credential_values":
                    credentials[name] = reader.mapping(field.value, join(path, field.key)) ?? []
                    note(field.keyNode, join(path, field.key), .exact, "merged into the litellm_params of deployments naming it")
                default:
                    note(field.keyNode, join(path, field.key), .approximate, "informational; ignored")
                }
            }
        }
    }

    /// Reads the files named by `include:` (relative to `file`) and returns their top-level
    /// entries, to be merged into the including file's (`model_list` entries are concatenated).
    static func included(_ root: Entries, file: String, reader: YAMLReader) -> Entries {
        guard let include = root.first(where: { $0.key == "include" }) else { return [] }
        let items: [Node] = if case .scalar = include.value { [include.value] } else { reader.sequence(include.value, "include") ?? [] }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        var merged: Entries = []
        for (i, item) in items.enumerated() {
            let path = "include[\(i)]"
            guard let name = reader.string(item, path) else { continue }
            let url = name.hasPrefix("/") ? URL(fileURLWithPath: name) : directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                reader.error(item, path, "cannot read included file '\(url.path)'")
                continue
            }
            do {
                guard let node = try Yams.compose(yaml: text), let entries = reader.mapping(node, path) else { continue }
                merged += entries
            } catch {
                reader.error(item, path, "included file '\(name)' is not valid YAML: \(error)")
            }
        }
        return merged
    }
}
