import Yams

extension DatabaseSettings {
    /// The `database:` keys: the one table the file, `SWITCHYARD_DATABASE_*`, `--set database.*`
    /// and `config show` read.
    static let keys: [SettingKey<DatabaseSettings>] = [
        SettingKey("url", secrecy: .url, read: { s, node, path, reader in DatabaseSettings.readURL(&s, node, path, reader) }, show: { $0.url ?? "none" }),
        .oneOf("schema", \.schema),
        .duration("key_cache_ttl", \.keyCacheTTL),
        .int("key_cache_size", \.keyCacheSize, range: 1...Int.max),
        .duration("flush_interval", \.flushInterval, positive: true),
        .int("spend_buffer", \.spendBuffer, range: 1...Int.max),
        SettingKey("spend_log_retention",
            read: { s, node, path, reader in s.spendLogRetention = reader.duration(node, path) },
            show: { $0.spendLogRetention.map(DurationText.format) }),
        .duration("response_retention", \.responseRetention, positive: true),
    ]

    /// `url`: `none` turns the database (and virtual keys, spend) off; a relative SQLite path is
    /// relative to the file's folder (to the working directory for a variable or a flag).
    fileprivate static func readURL(_ settings: inout DatabaseSettings, _ node: Node, _ path: String, _ reader: YAMLReader) {
        guard let url = reader.string(node, path) else { return }
        settings.isDefault = false
        if url == "none" {
            settings.url = nil
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url == ":memory:" {
            settings.url = url
        } else if url.hasPrefix("sqlite://") {
            let file = String(url.dropFirst("sqlite://".count))
            settings.url = file == ":memory:" ? ":memory:" : "sqlite://" + GatewayConfig.resolve(file, nextTo: reader.file)
        } else {
            reader.error(node, path, "expected sqlite:///path.db, :memory:, postgres://… or none")
        }
    }
}
