import Yams

extension ServerSettings {
    /// The `server:` keys: the one table the file, `SWITCHYARD_SERVER_*`, `--set server.*` and
    /// `config show` read.
    static let keys: [SettingKey<ServerSettings>] = [
        SettingKey("host", read: { s, node, path, reader in s.host = reader.string(node, path) ?? s.host }, show: { $0.host }),
        .int("port", \.port, range: 0...65535),
        SettingKey("master_key", secrecy: .secret,
            read: { s, node, path, reader in s.masterKey = GatewayConfig.readMasterKey(node, path, reader: reader) }, show: { $0.masterKey }),
        .byteSize("max_body_size", \.maxBodySize),
        .bool("access_log", \.accessLog),
        .oneOf("log_format", \.logFormat),
        .duration("request_timeout", \.deadlines.headers),
        .duration("connect_timeout", \.deadlines.connect),
        .duration("idle_timeout", \.deadlines.idle),
        .duration("total_timeout", \.deadlines.total),
        .int("max_connections_per_provider", \.maxConnectionsPerProvider, range: 1...1_000_000),
        .duration("keep_alive_timeout", \.keepAliveTimeout),
        .duration("header_timeout", \.headerTimeout),
        .duration("body_timeout", \.bodyTimeout),
        .byteSize("max_header_size", \.maxHeaderSize),
        .int("max_header_count", \.maxHeaderCount, range: 1...100_000),
        .int("max_client_connections", \.maxClientConnections, range: 1...10_000_000),
        .duration("drain_timeout", \.drainTimeout),
        .bool("debug_headers", \.debugHeaders),
        .bool("metrics_user_labels", \.metricsUserLabels),
        SettingKey("model_prices",
            read: { s, node, path, reader in
                s.modelPricesFile = reader.string(node, path).map { GatewayConfig.resolve($0, nextTo: reader.file) }
            }, show: { $0.modelPricesFile }),
    ]
}
