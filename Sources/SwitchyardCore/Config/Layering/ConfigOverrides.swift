/// Settings given besides the file: `SWITCHYARD_<SECTION>_<KEY>` environment variables and
/// command-line flags, applied over the file in the order added (so flags, added after the
/// environment, win). `ConfigLoader` applies them on every load, reloads included.
///
/// ```swift
/// var overrides = ConfigOverrides(environment: ProcessInfo.processInfo.environment)
/// overrides.set("server.drain_timeout=10s")           // --set
/// overrides.flag("--port", setting: "server.port", value: "8080")
/// ```
public struct ConfigOverrides: Sendable {
    struct Override: Sendable {
        /// The section and key (`server.port`).
        var section: String
        var key: String
        var value: String
        var source: SettingSource
    }

    private(set) var overrides: [Override] = []
    /// Unknown settings and malformed `--set` values, reported with the file's problems.
    public private(set) var problems: [ConfigDiagnostic] = []

    public init() {}

    /// Every `SWITCHYARD_<SECTION>_<KEY>` variable of a layered section, in name order; an empty
    /// variable counts as unset. An unknown key of a layered section is a problem.
    public init(environment: [String: String]) {
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            guard let section = GatewayConfig.layeredSections.first(where: { name.hasPrefix($0.environmentPrefix) }) else { continue }
            let key = name.dropFirst(section.environmentPrefix.count).lowercased()
            guard section.keyNames.contains(key) else {
                let names = section.keyNames.map(section.environmentName)
                problems.append(Self.problem(name, "unknown setting", hint: Suggestion.didYouMean(name, among: names)))
                continue
            }
            overrides.append(Override(section: section.name, key: key, value: value, source: .environment(name)))
        }
    }

    /// `--set section.key=value`.
    public mutating func set(_ assignment: String) {
        guard let equals = assignment.firstIndex(of: "=") else {
            problems.append(Self.problem("--set \(assignment)", "expected section.key=value, such as server.port=8080"))
            return
        }
        let setting = String(assignment[..<equals])
        add(setting, value: String(assignment[assignment.index(after: equals)...]), flag: "--set \(setting)")
    }

    /// A dedicated flag (`--port 8080`) for `setting` (`server.port`).
    public mutating func flag(_ flag: String, setting: String, value: String) {
        add(setting, value: value, flag: flag)
    }

    private mutating func add(_ setting: String, value: String, flag: String) {
        let parts = setting.split(separator: ".", maxSplits: 1).map(String.init)
        let sections = GatewayConfig.layeredSections
        guard parts.count == 2, let section = sections.first(where: { $0.name == parts[0] }), section.keyNames.contains(parts[1]) else {
            let names = sections.flatMap { section in section.keyNames.map { join(section.name, $0) } }
            problems.append(Self.problem(flag, "unknown setting '\(setting)'",
                hint: Suggestion.didYouMean(setting, among: names) ?? "settings: \(sections.map { "\($0.name).*" }.joined(separator: ", "))"))
            return
        }
        overrides.append(Override(section: section.name, key: parts[1], value: value, source: .flag(flag)))
    }

    /// A problem with no position in a file: printed as `SOURCE: error: message`.
    static func problem(_ source: String, _ message: String, hint: String? = nil) -> ConfigDiagnostic {
        ConfigDiagnostic(file: source, line: 0, column: 0, path: "", message: message, hint: hint)
    }
}
