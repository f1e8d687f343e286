import Testing

@testable import SwitchyardCore

@Suite("configuration loading")
struct ConfigLoaderTests {
    func errors(_ yaml: String, environment: [String: String] = [:]) -> [ConfigDiagnostic] {
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "c.yaml", environment: environment)
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }
        }
    }

    @Test func nativeConfigLoads() throws {
        let config = try ConfigLoader.load(
            yaml: """
                server: {port: 8080, master_key: "${KEY}", max_body_size: 1MiB}
                providers:
                  openai: {kind: openai, api_base: "https://example.test/v1/", api_key: os.environ/OPENAI_API_KEY, timeout: 20s}
                  canned: {kind: mock, mock_response: hi}
                models:
                  gpt:
                    routing: round-robin
                    targets:
                      - {provider: openai, model: gpt-4o, weight: 3, params: {temperature: 0.2}}
                      - {provider: canned}
                  echo: {provider: canned}
                """, file: "c.yaml", environment: ["KEY": "sk-m", "OPENAI_API_KEY": "sk-o"])
        #expect(config.server.port == 8080)
        #expect(config.server.masterKey == "sk-m")
        #expect(config.server.maxBodySize == 1024 * 1024)
        #expect(config.providers.map(\.name) == ["openai", "canned"])
        #expect(config.providers[0].apiBase == "https://example.test/v1")
        #expect(config.providers[0].apiKey == "sk-o")
        #expect(config.providers[0].deadlines.headers == .seconds(20))
        #expect(config.models.map(\.name) == ["gpt", "echo"])
        #expect(config.models[0].routing == .roundRobin)
        #expect(config.models[0].targets.map(\.model) == ["gpt-4o", "gpt"])
        #expect(config.models[0].targets[0].weight == 3)
        #expect(config.models[0].targets[0].defaultParams["temperature"] == .number("0.2"))
    }

    @Test func everyProblemIsReportedWithLineAndColumn() {
        let diagnostics = errors(
            """
            server:
              prot: 4000
            providers:
              openai: {kind: opneai}
              canned: {kind: mock}
            models:
              a: {provider: canedd}
              b: {provider: canned, weight: -1}
              c: {targets: []}
            """)
        let rendered = diagnostics.map(\.description)
        #expect(rendered.contains("c.yaml:2:3: error: server.prot: unknown key 'prot' (did you mean 'port'?)"))
        #expect(rendered.contains("c.yaml:4:18: error: providers.openai.kind: unknown provider kind 'opneai' (did you mean 'openai'?)"))
        #expect(rendered.contains("c.yaml:7:17: error: models.a.provider: no provider named 'canedd' (did you mean 'canned'?)"))
        #expect(rendered.contains("c.yaml:8:33: error: models.b.weight: weight must be positive, found -1.0"))
        #expect(rendered.contains { $0.hasPrefix("c.yaml:9:") && $0.contains("at least one target") })
        #expect(diagnostics.count == 5)
    }

    @Test("an infinite, NaN or negative duration is an error at its line, not a crash", arguments: ["infs", "nanms", "-5s", "1e400h"])
    func impossibleDurationsAreErrors(text: String) {
        let found = errors("server:\n  request_timeout: \(text)\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.message.contains("expected a duration") == true)
    }

    /// Found by the fuzzer: `9e30MB` trapped converting to Int.
    @Test("a size too large for the machine is an error at its line, not a crash", arguments: ["9e30MB", "1e400GiB", "0.1B"])
    func impossibleSizesAreErrors(text: String) {
        let found = errors("server:\n  max_body_size: \(text)\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.message.contains("not a size this gateway can use") == true)
    }

    @Test func yamlSyntaxErrorsHaveLocations() {
        let diagnostics = errors("models:\n  a: {provider: x\n  b: 1\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].line >= 2)
        #expect(diagnostics[0].message.hasPrefix("invalid YAML"))
    }

    @Test func environmentReferences() throws {
        let reader = YAMLReader(file: "x", environment: ["A": "1", "EMPTY": ""])
        var missing: String?
        #expect(reader.resolveEnvironment("os.environ/A", missingVariable: &missing) == "1")
        #expect(reader.resolveEnvironment("x-${A}-${B:-two}-${EMPTY:-three}", missingVariable: &missing) == "x-1-two-three")
        #expect(missing == nil)
        #expect(reader.resolveEnvironment("${NOPE}", missingVariable: &missing) == nil)
        #expect(missing == "NOPE")
    }

    @Test func unsetMasterKeyVariableRefusesToStart() {
        let diagnostics = errors("server: {master_key: os.environ/NOT_SET}\nproviders: {m: {kind: mock}}\nmodels: {e: {provider: m}}")
        #expect(diagnostics.first?.message.contains("NOT_SET") == true)
    }

    @Test func unsetProviderKeyMakesItsModelsUnavailable() throws {
        let config = try ConfigLoader.load(
            yaml: "providers: {o: {kind: openai, api_key: os.environ/NOT_SET}}\nmodels: {g: {provider: o}}", environment: [:])
        let program = try GatewayProgram(config: config)
        #expect(throws: GatewayError.self) { try program.route(model: "g") }
        #expect(program.providers[0].unavailableReason?.contains("NOT_SET") == true)
    }

    @Test func liteLLMConfigLoads() throws {
        let config = try ConfigLoader.load(
            yaml: """
                model_list:
                  - model_name: gpt-4o-mini
                    litellm_params:
                      model: openai/gpt-4o-mini
                      api_base: http://127.0.0.1:18080/v1
                      api_key: os.environ/UPSTREAM_KEY
                      temperature: 0.1
                  - model_name: gpt-4o-mini
                    litellm_params: {model: openai/gpt-4o-mini-2024, api_base: http://127.0.0.1:18081/v1, api_key: os.environ/UPSTREAM_KEY}
                  - model_name: fake
                    litellm_params: {model: gpt-3.5-turbo, mock_response: "canned text"}
                general_settings:
                  master_key: sk-1234
                  database_url: postgres://x
                litellm_settings:
                  drop_params: true
                environment_variables:
                  UPSTREAM_KEY: sk-up
                """, file: "l.yaml", environment: [:])
        #expect(config.format == .litellm)
        #expect(config.server.masterKey == "sk-1234")
        #expect(config.models.map(\.name) == ["gpt-4o-mini", "fake"])
        #expect(config.models[0].targets.map(\.model) == ["gpt-4o-mini", "gpt-4o-mini-2024"])
        #expect(config.models[0].targets[0].defaultParams["temperature"] == .number("0.1"))
        #expect(config.providers.map(\.kind) == [.openai, .openai, .mock])
        #expect(config.providers[0].apiKey == "sk-up")
        #expect(config.models[1].targets[0].mockResponse == "canned text")
        let warnings = config.warnings.map(\.path)
        #expect(warnings.isEmpty)
        #expect(config.database.url == "postgres://x")
        #expect(config.migration.contains { $0.key == "litellm_settings.drop_params" && $0.status == .approximate })
    }

    @Test func liteLLMUnsupportedProviderIsLeftOutWithAWarningAtItsLine() throws {
        let config = try ConfigLoader.load(
            yaml: "model_list:\n  - model_name: c\n    litellm_params:\n      model: sagemaker/claude\n  - model_name: d\n    litellm_params: {model: gpt-4o, mock_response: hi}\n",
            file: "c.yaml", environment: [:])
        #expect(config.models.map(\.name) == ["d"])
        #expect(config.warnings.map(\.description) == [
            "c.yaml:4:14: warning: model_list[0].litellm_params.model: unsupported LiteLLM setting, ignored: provider 'sagemaker/' is not served by Switchyard; deployment left out"
        ])
    }

    @Test func weightedRoutingFollowsWeights() throws {
        let config = try ConfigLoader.load(
            yaml: "providers: {a: {kind: mock}, b: {kind: mock}}\nmodels: {m: {targets: [{provider: a, weight: 9}, {provider: b, weight: 1}]}}",
            environment: [:])
        let program = try GatewayProgram(config: config)
        var counts: [String: Int] = [:]
        for _ in 0..<10_000 { counts[try program.route(model: "m").providerName, default: 0] += 1 }
        // 9:1 expected; a 5-sigma band around 9,000.
        #expect((8_850...9_150).contains(counts["a", default: 0]))
    }
}
