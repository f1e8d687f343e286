import Foundation
import SwitchyardCore
import Testing

/// `server:` and `database:` settings from the file, `SWITCHYARD_<SECTION>_<KEY>` variables and
/// flags: precedence, the same checks as the file's, sources and redaction for `config show`.
struct ConfigLayeringTests {
    static let file = """
        server:
          port: 4100
          drain_timeout: 20s
          master_key: os.environ/MASTER
        database:
          url: postgres://app:hunter2@db.internal:5432/gw
        models:
          m: {provider: p}
        providers:
          p: {kind: mock}

        """
    static let environment = ["MASTER": "sk-master-secret"]

    static func load(env: [String: String] = [:], flags: (inout ConfigOverrides) -> Void = { _ in }) throws(ConfigError) -> GatewayConfig {
        var overrides = ConfigOverrides(environment: env)
        flags(&overrides)
        return try ConfigLoader.load(yaml: file, file: "gw.yaml", environment: environment.merging(env) { $1 }, overrides: overrides)
    }

    static func errors(env: [String: String] = [:], flags: (inout ConfigOverrides) -> Void = { _ in }) -> [String] {
        do {
            _ = try load(env: env, flags: flags)
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    static func setting(_ config: GatewayConfig, _ name: String) -> EffectiveSetting? {
        config.effectiveSettings.first { $0.name == name }
    }

    @Test func flagsBeatEnvironmentBeatFileBeatDefault() throws {
        let config = try Self.load(env: ["SWITCHYARD_SERVER_PORT": "4200", "SWITCHYARD_SERVER_DRAIN_TIMEOUT": "5s", "SWITCHYARD_SERVER_LOG_FORMAT": "json"]) {
            $0.set("server.drain_timeout=10s")
            $0.flag("--port", setting: "server.port", value: "4300")
        }
        #expect(config.server.port == 4300)
        #expect(config.server.drainTimeout == .seconds(10))
        #expect(config.server.logFormat == .json)
        #expect(config.server.keepAliveTimeout == .seconds(75))
        #expect(Self.setting(config, "server.port") == EffectiveSetting(name: "server.port", value: "4300", source: .flag("--port")))
        #expect(Self.setting(config, "server.drain_timeout")?.source == .flag("--set server.drain_timeout"))
        #expect(Self.setting(config, "server.drain_timeout")?.value == "10s")
        #expect(Self.setting(config, "server.log_format")?.source == .environment("SWITCHYARD_SERVER_LOG_FORMAT"))
        #expect(Self.setting(config, "server.keep_alive_timeout") == EffectiveSetting(name: "server.keep_alive_timeout", value: "75s", source: .builtIn))

        let fileOnly = try Self.load()
        #expect(fileOnly.server.port == 4100)
        #expect(Self.setting(fileOnly, "server.port")?.source == .file("gw.yaml", line: 2, column: 9))
        #expect(Self.setting(fileOnly, "server.port")?.source.description == "gw.yaml:2:9")
    }

    @Test func environmentValuesGoThroughTheFilesParsers() throws {
        let config = try Self.load(env: [
            "SWITCHYARD_SERVER_MAX_BODY_SIZE": "2MiB", "SWITCHYARD_SERVER_ACCESS_LOG": "off",
            "SWITCHYARD_DATABASE_URL": "sqlite://other.db", "SWITCHYARD_DATABASE_SCHEMA": "native", "SWITCHYARD_DATABASE_SPEND_LOG_RETENTION": "7d",
        ])
        #expect(config.server.maxBodySize == 2 * 1024 * 1024)
        #expect(config.server.accessLog == false)
        #expect(config.database.url == "sqlite://other.db", "a relative path from a variable is relative to the working directory")
        #expect(config.database.isDefault == false)
        #expect(config.database.schema == .native)
        #expect(config.database.spendLogRetention == .seconds(7 * 86_400))
        #expect(try Self.load(env: ["SWITCHYARD_DATABASE_URL": "none"]).database.url == nil)
        #expect(try Self.load(env: ["SWITCHYARD_SERVER_PORT": ""]).server.port == 4100, "an empty variable counts as unset")
    }

    @Test func badValuesNameTheirSource() {
        #expect(Self.errors(env: ["SWITCHYARD_SERVER_PORT": "abc"]) == [
            "SWITCHYARD_SERVER_PORT: error: server.port: expected an integer, found 'abc'"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_SERVER_PORT": "70000"]) == [
            "SWITCHYARD_SERVER_PORT: error: server.port: must be between 0 and 65535, found 70000"
        ])
        #expect(Self.errors { $0.set("server.drain_timeout=soon") } == [
            "--set server.drain_timeout: error: server.drain_timeout: expected a duration such as 30s, 500ms or 2m, found 'soon'"
        ])
        #expect(Self.errors { $0.flag("--log-format", setting: "server.log_format", value: "xml") } == [
            "--log-format: error: server.log_format: expected one of text, json, found 'xml'"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_DATABASE_URL": "mysql://x"]) == [
            "SWITCHYARD_DATABASE_URL: error: database.url: expected sqlite:///path.db, :memory:, postgres://… or none"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_DATABASE_FLUSH_INTERVAL": "0s"]) == [
            "SWITCHYARD_DATABASE_FLUSH_INTERVAL: error: database.flush_interval: must be positive"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_SERVER_MAX_BODY_SIZE": "lots"]) == [
            "SWITCHYARD_SERVER_MAX_BODY_SIZE: error: server.max_body_size: expected a size such as 10MiB or 1048576, found 'lots'"
        ])
    }

    @Test func unknownSettingsGetADidYouMean() {
        #expect(Self.errors(env: ["SWITCHYARD_SERVER_DRAIN_TIMOUT": "5s"]) == [
            "SWITCHYARD_SERVER_DRAIN_TIMOUT: error: unknown setting (did you mean 'SWITCHYARD_SERVER_DRAIN_TIMEOUT'?)"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_DATABASE_UR": "none"]) == [
            "SWITCHYARD_DATABASE_UR: error: unknown setting (did you mean 'SWITCHYARD_DATABASE_URL'?)"
        ])
        #expect(Self.errors { $0.set("server.prot=1") } == [
            "--set server.prot: error: unknown setting 'server.prot' (did you mean 'server.port'?)"
        ])
        #expect(Self.errors { $0.set("server.port") } == [
            "--set server.port: error: expected section.key=value, such as server.port=8080"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_MASTER_KEY": "x", "SWITCHYARD_TEST_POSTGRES_URL": "y"]) == [],
            "variables outside the layered sections are not settings")
    }

    @Test func checksBetweenSettingsSeeEveryLayer() {
        #expect(Self.errors(env: ["SWITCHYARD_DATABASE_SCHEMA": "litellm"]) == [])
        #expect(Self.errors(env: ["SWITCHYARD_DATABASE_SCHEMA": "litellm", "SWITCHYARD_DATABASE_URL": ":memory:"]) == [
            "SWITCHYARD_DATABASE_SCHEMA: error: database.schema: LiteLLM's schema lives in PostgreSQL: set url to postgres://… or use schema: native"
        ])
    }

    @Test func showRedactsSecrets() throws {
        let config = try Self.load(env: ["SWITCHYARD_SERVER_HOST": "0.0.0.0"])
        let shown = config.effectiveSettings
        #expect(Self.setting(config, "server.master_key")?.value == "<redacted>")
        #expect(Self.setting(config, "database.url")?.value == "postgres://app:<redacted>@db.internal:5432/gw")
        #expect(Self.setting(config, "server.host")?.value == "0.0.0.0")
        #expect(!shown.contains { ($0.value ?? "").contains("hunter2") || ($0.value ?? "").contains("sk-master-secret") })
        let fromFlag = try Self.load { $0.set("server.master_key=flag-secret") }
        #expect(Self.setting(fromFlag, "server.master_key") == EffectiveSetting(name: "server.master_key", value: "<redacted>", source: .flag("--set server.master_key")))
        #expect(fromFlag.server.masterKey == "flag-secret")
    }

    @Test(arguments: [
        ("postgresql://app:s3cr%40t@db:5432/gw?sslmode=require", "postgresql://app:<redacted>@db:5432/gw?sslmode=require"),
        ("postgres://app@db/gw", "postgres://app@db/gw"),
        (":memory:", ":memory:"),
        ("none", "none"),
    ])
    func databaseURLsShowNoPassword(url: String, shown: String) throws {
        let config = try Self.load(env: ["SWITCHYARD_DATABASE_URL": url])
        #expect(Self.setting(config, "database.url") == EffectiveSetting(name: "database.url", value: shown, source: .environment("SWITCHYARD_DATABASE_URL")))
    }

    @Test func fileValuesReadFromTheEnvironmentAreRedacted() throws {
        let config = try ConfigLoader.load(
            yaml: "server:\n  host: ${BIND}\nmodels:\n  m: {provider: p}\nproviders:\n  p: {kind: mock}\n", file: "e.yaml",
            environment: ["BIND": "10.1.2.3"])
        #expect(config.server.host == "10.1.2.3")
        #expect(Self.setting(config, "server.host")?.value == "<redacted>")
    }

    @Test func everyLayeredKeyHasAVariable() {
        let variables = GatewayConfig.layeredVariables
        #expect(variables.contains { $0 == ("server.drain_timeout", "SWITCHYARD_SERVER_DRAIN_TIMEOUT") })
        #expect(variables.contains { $0 == ("database.url", "SWITCHYARD_DATABASE_URL") })
        #expect(variables.contains { $0 == ("telemetry.otlp_endpoint", "SWITCHYARD_TELEMETRY_OTLP_ENDPOINT") })
        #expect(variables.count == 34)
    }

    /// docs/configuration.md lists exactly the variables the code reads, in table order.
    @Test func theDocsListEveryVariable() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `server.") || $0.hasPrefix("| `database.") || $0.hasPrefix("| `telemetry.") }
        let listed = rows.map { row in row.split(separator: "`").map(String.init) }.map { ($0[1], $0[3]) }
        #expect(listed.map(\.0) == GatewayConfig.layeredVariables.map(\.setting))
        #expect(listed.map(\.1) == GatewayConfig.layeredVariables.map(\.variable))
    }

    @Test func telemetrySettingsAreLayeredToo() throws {
        let config = try Self.load(env: [
            "SWITCHYARD_TELEMETRY_OTLP_ENDPOINT": "http://collector:4318/", "SWITCHYARD_TELEMETRY_SAMPLE_RATIO": "0.5",
            "SWITCHYARD_TELEMETRY_HEADERS": "x-api-key=secret-1, x-scope = eu",
        ]) {
            $0.set("telemetry.sample_ratio=0.25")
            $0.set("telemetry.capture_content=true")
        }
        #expect(config.telemetry.otlpEndpoint == "http://collector:4318")
        #expect(config.telemetry.sampleRatio == 0.25, "a flag beats the variable")
        #expect(config.telemetry.captureContent)
        #expect(config.telemetry.headers.map(\.name) == ["x-api-key", "x-scope"])
        #expect(config.telemetry.headers.map(\.value) == ["secret-1", "eu"])
        #expect(Self.setting(config, "telemetry.headers")?.value == "x-api-key=<redacted>,x-scope=<redacted>")
        #expect(Self.setting(config, "telemetry.sample_ratio")?.source == .flag("--set telemetry.sample_ratio"))
        #expect(Self.errors(env: ["SWITCHYARD_TELEMETRY_SAMPLE_RATIO": "2"]) == [
            "SWITCHYARD_TELEMETRY_SAMPLE_RATIO: error: telemetry.sample_ratio: must be between 0 and 1, found 2.0"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_TELEMETRY_HEADERS": "bad header=x"]) == [
            "SWITCHYARD_TELEMETRY_HEADERS: error: telemetry.headers: 'bad header' is not a valid HTTP header name"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_TELEMETRY_HEADERS": "no-equals"]) == [
            "SWITCHYARD_TELEMETRY_HEADERS: error: telemetry.headers: expected name=value pairs separated by commas"
        ])
        #expect(Self.errors(env: ["SWITCHYARD_TELEMETRY_OTLP_ENDPONT": "http://c"]) == [
            "SWITCHYARD_TELEMETRY_OTLP_ENDPONT: error: unknown setting (did you mean 'SWITCHYARD_TELEMETRY_OTLP_ENDPOINT'?)"
        ])
    }
}
