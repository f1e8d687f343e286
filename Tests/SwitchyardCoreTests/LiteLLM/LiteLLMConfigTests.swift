import Foundation
import Logging
import Testing

@testable import SwitchyardCore

/// Translating LiteLLM configs: what each key becomes, where problems are reported, and how the
/// router's behaviour (retries, fallbacks, aliases, wildcards, shuffle weights) runs.
@Suite("LiteLLM config translation")
struct LiteLLMConfigTests {
    static func load(_ yaml: String, strict: Bool = false, environment: [String: String] = [:]) throws(ConfigError) -> GatewayConfig {
        try ConfigLoader.load(yaml: yaml, file: "l.yaml", environment: environment, strict: strict)
    }

    static func program(_ yaml: String) throws -> GatewayProgram {
        try GatewayProgram(config: load(yaml))
    }

    static func diagnostics(_ yaml: String, strict: Bool = false, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try load(yaml, strict: strict, environment: environment)
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    /// Deployments on the scripted adapter: the upstream model name picks the behaviour.
    static func deployment(_ group: String, _ model: String, _ extra: String = "") -> String {
        "  - model_name: \(group)\n    litellm_params: {model: openai/\(model), api_base: http://up.test/v1, api_key: sk-x\(extra)}\n"
    }

    @Test func endUserPrometheusTrackingBecomesMetricsUserLabels() throws {
        let yaml = "model_list:\n" + Self.deployment("g", "ok") + "litellm_settings:\n  enable_end_user_cost_tracking_prometheus_only: true\n"
        let config = try Self.load(yaml)
        #expect(config.server.metricsUserLabels)
        #expect(config.effectiveSettings.first { $0.name == "server.metrics_user_labels" }?.source == .file("l.yaml", line: 5, column: 50))
        #expect(config.migration.first { $0.key == "litellm_settings.enable_end_user_cost_tracking_prometheus_only" }?.status == .exact)
        #expect(try Self.load("model_list:\n" + Self.deployment("g", "ok")).server.metricsUserLabels == false)
    }

    @Test func modelListBecomesModelsWithTargetsAndProviders() throws {
        let config = try Self.load("model_list:\n" + Self.deployment("g", "ok", ", rpm: 10, timeout: 5, temperature: 0.3")
            + "    model_info: {id: dep-1, max_input_tokens: 1000}\n" + Self.deployment("g", "ok2", ", tpm: 99")
            + "  - model_name: m\n    litellm_params: {model: gpt-4o, mock_response: canned}\n")
        #expect(config.models.map(\.name) == ["g", "m"])
        let targets = config.models[0].targets
        #expect(targets.map(\.model) == ["ok", "ok2"])
        #expect(targets[0].rpm == 10 && targets[1].tpm == 99)
        #expect(targets[0].deadlines.headers == .seconds(5) && targets[0].deadlines.idle == .seconds(5))
        #expect(targets[0].defaultParams["temperature"] == .number("0.3"))
        #expect(targets[0].id == "dep-1")
        // simple-shuffle without weights weighs by rpm (the deployment without one counts 1).
        #expect(targets.map(\.weight) == [10, 1])
        #expect(config.providers.map(\.kind) == [.openai, .mock])
        #expect(config.models[1].targets[0].mockResponse == "canned")
        // LiteLLM cools deployments down by default: 3 fails, 5 s.
        #expect(config.models[0].allowedFails == 3 && config.models[0].cooldown == .seconds(5))
        #expect(config.nativeText?.contains("max_input_tokens: 1000") == true)
    }

    @Test func routingStrategiesMap() throws {
        let expected: [(String, RoutingStrategy)] = [
            ("simple-shuffle", .weighted), ("least-busy", .leastBusy), ("usage-based-routing", .usage),
            ("usage-based-routing-v2", .usage), ("latency-based-routing", .lowestLatency), ("cost-based-routing", .priority),
        ]
        for (name, strategy) in expected {
            let config = try Self.load("model_list:\n" + Self.deployment("g", "a") + Self.deployment("g", "b")
                + "router_settings: {routing_strategy: \(name)}\n")
            #expect(config.models[0].routing == strategy, "\(name)")
        }
        let ordered = try Self.load("model_list:\n" + Self.deployment("g", "a", ", order: 2") + Self.deployment("g", "b", ", order: 1"))
        #expect(ordered.models[0].routing == .priority)
        #expect(ordered.models[0].targets.map(\.order) == [2, 1])
    }

    @Test func routerSettingsWinOverLiteLLMSettings() throws {
        let config = try Self.load("model_list:\n" + Self.deployment("g", "a") + Self.deployment("g", "b") + """
            litellm_settings: {num_retries: 7, allowed_fails: 9, request_timeout: 100}
            router_settings: {num_retries: 1, allowed_fails: 4, cooldown_time: 12}

            """)
        #expect(config.models[0].allowedFails == 4)
        #expect(config.models[0].cooldown == .seconds(12))
        #expect(config.server.deadlines.headers == .seconds(100))
        #expect(config.nativeText?.contains("- retry: {attempts: 2, backoff: {base: 0ms, max: 0ms}}") == true)
    }

    @Test func retryPolicyBecomesOneRetryStagePerCount() throws {
        let config = try Self.load("model_list:\n" + Self.deployment("g", "a") + """
            router_settings:
              num_retries: 2
              retry_policy: {RateLimitErrorRetries: 4, BadRequestErrorRetries: 1, AuthenticationErrorRetries: 0}

            """)
        let text = try #require(config.nativeText)
        #expect(text.contains("- retry: {attempts: 5, on: [429], backoff: {base: 0ms, max: 0ms}}"))
        #expect(text.contains("- retry: {attempts: 3, on: [timeout, 5xx, 409, connect], backoff: {base: 0ms, max: 0ms}}"))
        #expect(text.contains("- retry: {attempts: 2, on: [400], backoff: {base: 0ms, max: 0ms}}"))
        #expect(!text.contains("401"))
    }

    @Test func maxFallbacksCutsTheList() throws {
        let config = try Self.load("model_list:\n" + Self.deployment("a", "x") + Self.deployment("b", "x") + Self.deployment("c", "x")
            + "router_settings: {fallbacks: [{a: [b, c]}], max_fallbacks: 1}\n")
        #expect(config.nativeText?.contains("- fallback: {to: [b], on: [error]}") == true)
    }

    @Test func unsupportedKeysAreWarnedOnceAndStrictMakesThemErrors() throws {
        let yaml = "model_list:\n" + Self.deployment("g", "ok", ", tags: [a]") + Self.deployment("g", "ok", ", tags: [b]") + """
            litellm_settings: {callbacks: [langfuse], cache: true}
            general_settings: {master_key: sk-1, database_url: postgres://x}
            mcp_servers: {x: {url: http://x}}

            """
        let config = try Self.load(yaml)
        let warnings = config.warnings.map(\.path)
        #expect(warnings == ["model_list[0].litellm_params.tags", "litellm_settings.callbacks", "litellm_settings.cache", "mcp_servers"])
        #expect(config.database.url == "postgres://x", "database_url selects the database")
        #expect(config.warnings[0].message.contains("and 1 more"))
        #expect(config.migration.first { $0.key == "model_list[].litellm_params.tags" }?.occurrences == 2)
        let errors = Self.diagnostics(yaml, strict: true)
        #expect(errors.count == 4)
        #expect(errors.first?.hasPrefix("l.yaml:3:") == true)
    }

    @Test func problemsAreReportedAtTheLiteLLMLine() {
        #expect(Self.diagnostics("model_list:\n" + Self.deployment("g", "ok") + "router_settings:\n  fallbacks: [{g: [nope]}]\n")
            == ["l.yaml:5:20: error: router_settings.fallbacks[0].g[0]: no model_name 'nope' to fall back to (model names: g)"])
        // An unset variable in a deployment's settings is a warning: the deployment is unavailable.
        let unset = "model_list:\n  - model_name: g\n    litellm_params:\n      model: azure/x\n      api_base: os.environ/AZ_BASE\n"
        #expect(Self.diagnostics(unset).isEmpty)
        #expect((try? Self.load(unset))?.warnings.map(\.message).contains { $0.hasPrefix("environment variable 'AZ_BASE' is not set") } == true)
        let strategy = Self.diagnostics("model_list:\n" + Self.deployment("g", "ok") + "router_settings: {routing_strategy: simple-shufle}\n")
        #expect(strategy.first?.contains("did you mean 'simple-shuffle'?") == true)
    }

    @Test func credentialsIncludeAndEnvironmentVariables() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("litellm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "model_list:\n  - model_name: extra\n    litellm_params: {model: openai/x, mock_response: hi}\n"
            .write(to: directory.appendingPathComponent("more.yaml"), atomically: true, encoding: .utf8)
        let main = directory.appendingPathComponent("config.yaml")
        try """
            include: [more.yaml]
            environment_variables: {AZ_KEY: from-file}
            credential_list:
              - credential_name: az
                credential_values: {api_key: os.environ/AZ_KEY, api_base: https://az.example.com, api_version: "2024-06-01"}
            model_list:
              - model_name: g
                litellm_params: {model: azure/dep, litellm_credential_name: az}
            """.write(to: main, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: main.path, environment: [:])
        #expect(config.models.map(\.name) == ["g", "extra"])
        let azure = try #require(config.providers.first { $0.kind == .azure })
        #expect(azure.apiKey == "from-file")
        #expect(azure.apiBase == "https://az.example.com")
        #expect(azure.apiVersion == "2024-06-01")
    }

}
