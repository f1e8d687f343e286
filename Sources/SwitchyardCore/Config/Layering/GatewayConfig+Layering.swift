import Yams

extension GatewayConfig {
    /// The sections whose keys can also come from the environment and flags. Adding a section
    /// here (and its `SettingKey` table) is all layering needs.
    static let layeredSections: [any LayeredSection] = [
        SettingsSection(name: "server", field: \.server, keys: ServerSettings.keys),
        SettingsSection(name: "database", field: \.database, keys: DatabaseSettings.keys),
        SettingsSection(name: "telemetry", field: \.telemetry, keys: TelemetrySettings.keys),
    ]

    /// `SWITCHYARD_SERVER_PORT`, … : every variable layering reads, in table order (for the docs
    /// and `config show --variables`).
    public static var layeredVariables: [(setting: String, variable: String)] {
        layeredSections.flatMap { section in section.keyNames.map { (join(section.name, $0), section.environmentName($0)) } }
    }

    /// Applies environment and flag values over what the file said, each through the same reader
    /// as the file's; problems are reported to `reader` naming the variable or flag.
    mutating func apply(_ overrides: ConfigOverrides, reader: YAMLReader) {
        reader.append(overrides.problems)
        for override in overrides.overrides {
            guard let section = Self.layeredSections.first(where: { $0.name == override.section }) else { continue }
            let valueReader = YAMLReader(file: override.source.origin, environment: reader.environment)
            valueReader.positionless = true
            section.read(override.key, .scalar(Node.Scalar(override.value)), reader: valueReader, into: &self)
            reader.append(valueReader.diagnostics)
            let setting = join(section.name, override.key)
            settingSources[setting] = override.source
            environmentReferences.remove(setting)
        }
    }

    /// Checks between layered settings, once every layer is applied.
    func checkLayeredSettings(reader: YAMLReader) {
        if database.schema == .litellm, let url = database.url, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            reader.append([settingProblem("database.schema", "LiteLLM's schema lives in PostgreSQL: set url to postgres://… or use schema: native")])
        }
    }

    /// A problem about `setting`, placed where its value came from.
    private func settingProblem(_ setting: String, _ message: String) -> ConfigDiagnostic {
        switch settingSources[setting] {
        case .file(let file, let line, let column)?:
            ConfigDiagnostic(file: file, line: line, column: column, path: setting, message: message)
        case let source?:
            ConfigDiagnostic(file: source.origin, line: 0, column: 0, path: setting, message: message)
        case nil:
            ConfigDiagnostic(file: file, line: 1, column: 1, path: setting, message: message)
        }
    }

    /// Every layered setting's effective value and where it came from, secrets redacted
    /// (`switchyard config show`).
    public var effectiveSettings: [EffectiveSetting] {
        Self.layeredSections.flatMap { section in
            section.keyNames.map { key in
                let setting = join(section.name, key)
                return EffectiveSetting(name: setting, value: section.shown(key, in: self), source: settingSources[setting] ?? .builtIn)
            }
        }
    }
}

extension SettingSource {
    /// The variable's or flag's name, or the file: how problems with the value are prefixed.
    var origin: String {
        switch self {
        case .builtIn: "default"
        case .file(let file, _, _): file
        case .environment(let name): name
        case .flag(let flag): flag
        }
    }
}
