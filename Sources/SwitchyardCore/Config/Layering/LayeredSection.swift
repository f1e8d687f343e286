import Yams

/// A section of the file whose keys can also come from `SWITCHYARD_<SECTION>_<KEY>` variables and
/// `--set section.key=value` flags (`server`, `database`). A section is one entry in
/// `GatewayConfig.layeredSections` plus its table of `SettingKey`s.
protocol LayeredSection: Sendable {
    /// The section's name in the file (`server`).
    var name: String { get }
    /// Its keys, in the order `config show` and the docs list them.
    var keyNames: [String] { get }
    /// Reads the section's mapping from the file, recording where each value was written.
    func readFile(_ node: Node, reader: YAMLReader, into config: inout GatewayConfig)
    /// Reads one value (from the file, the environment or a flag) of `key`, which must be one of `keyNames`.
    func read(_ key: String, _ node: Node, reader: YAMLReader, into config: inout GatewayConfig)
    /// The effective value of `key` as `config show` prints it (secrets redacted); nil when unset.
    func shown(_ key: String, in config: GatewayConfig) -> String?
}

extension LayeredSection {
    /// `SWITCHYARD_SERVER_` for `server`.
    var environmentPrefix: String { "SWITCHYARD_\(name.uppercased())_" }

    func environmentName(_ key: String) -> String { environmentPrefix + key.uppercased() }
}

/// A section held in one settings struct of `GatewayConfig`.
struct SettingsSection<Settings: Sendable>: LayeredSection {
    let name: String
    let field: WritableKeyPath<GatewayConfig, Settings> & Sendable
    let keys: [SettingKey<Settings>]

    var keyNames: [String] { keys.map(\.name) }

    func readFile(_ node: Node, reader: YAMLReader, into config: inout GatewayConfig) {
        guard let entries = reader.mapping(node, name) else { return }
        reader.checkKeys(entries, allowed: keyNames, name)
        for entry in entries where keyNames.contains(entry.key) {
            read(entry.key, entry.value, reader: reader, into: &config)
            let setting = join(name, entry.key)
            config.settingSources[setting] = .file(reader.file, line: entry.value.mark?.line ?? 1, column: entry.value.mark?.column ?? 1)
            if let text = entry.value.scalar?.string, text.hasPrefix("os.environ/") || text.contains("${") {
                config.environmentReferences.insert(setting)
            }
        }
    }

    func read(_ key: String, _ node: Node, reader: YAMLReader, into config: inout GatewayConfig) {
        guard let setting = keys.first(where: { $0.name == key }) else { return }
        setting.read(&config[keyPath: field], node, join(name, key), reader)
    }

    func shown(_ key: String, in config: GatewayConfig) -> String? {
        guard let setting = keys.first(where: { $0.name == key }), let value = setting.show(config[keyPath: field]) else { return nil }
        if config.environmentReferences.contains(join(name, key)) { return Redaction.placeholder }
        switch setting.secrecy {
        case .plain: return value
        case .secret: return Redaction.placeholder
        case .url: return Redaction.urlPassword(value)
        }
    }
}
