import Foundation
import Testing

@testable import SwitchyardCore

/// Every LiteLLM config in `examples/litellm/` loads, and its `switchyard import` output behaves
/// like the original: the same compiled graph, and the same answers, paths, retries and
/// fallbacks for a set of dry-run requests, with and without failing upstreams.
@Suite("LiteLLM example configurations")
struct LiteLLMExampleTests {
    static let directory = ExampleConfigTests.root.appendingPathComponent("examples/litellm")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func thereAreExamples() {
        #expect(Self.files.count >= 8)
    }

    @Test(arguments: files)
    func loadsAndImportsToAnEquivalentNativeConfig(_ file: String) async throws {
        let path = Self.directory.appendingPathComponent(file).path
        let original = try ConfigLoader.load(path: path, environment: [:])
        #expect(original.format == .litellm)
        #expect(!original.migration.isEmpty)
        let native = try ConfigLoader.load(yaml: try #require(original.nativeText), file: "imported.yaml", environment: [:])
        #expect(native.format == .native)
        let a = try GatewayProgram(config: original)
        let b = try GatewayProgram(config: native)
        #expect(PipelineGraph(a).text() == PipelineGraph(b).text())
        // Requests for every model (and names only an alias or a wildcard serves): with healthy
        // upstreams, with one model's deployments failing, and with every deployment failing.
        // (Which deployment a shuffle picks is random; the outcomes compared here are not.)
        var labelsByModel: [[String]] = a.models.map { entry in
            if case .deployments(let model) = entry { return model.targets.map(\.label) }
            return []
        }
        var requests: [(DryRunRequest, [String: String])] = []
        for model in a.modelNames + ["gpt-4", "openai/gpt-4.1-nano", "anthropic/claude-opus-4", "no-such-model"] {
            let request = DryRunRequest(JSONObject([("model", .string(model)), ("content", "hello")]))
            labelsByModel.append(await a.dryRun(request).calls.map(\.target))
            requests.append((request, [:]))
        }
        let all = Set(labelsByModel.joined())
        for (request, _) in requests where !all.isEmpty {
            for failure in ["503", "context_window", "429"] {
                requests.append((request, Dictionary(uniqueKeysWithValues: all.map { ($0, failure) })))
            }
            for labels in labelsByModel where !labels.isEmpty {
                requests.append((request, Dictionary(labels.map { ($0, "503") }, uniquingKeysWith: { a, _ in a })))
            }
        }
        for (request, failing) in requests {
            let x = await a.dryRun(request, failing: failing).result
            let y = await b.dryRun(request, failing: failing).result
            #expect(Self.summary(x) == Self.summary(y), "\(file): \(request.body) failing \(failing)")
        }
    }

    static func summary(_ result: ExecutionResult) -> String {
        let outcome = switch result.outcome {
        case .success: "ok"
        case .failure(let error): "\(error.status)"
        }
        return "\(outcome) path=\(result.path) attempts=\(result.attempts) retries=\(result.retries) fallbacks=\(result.fallbacks)"
    }

    @Test func unsupportedFeaturesAreNamedByPath() throws {
        let config = try ConfigLoader.load(path: Self.directory.appendingPathComponent("unsupported-features.yaml").path, environment: [:])
        let paths = config.warnings.map(\.path)
        for path in ["model_list[0].litellm_params.tags", "model_list[1].litellm_params.model", "litellm_settings.callbacks",
            "litellm_settings.cache", "general_settings.database_url", "general_settings.alerting", "mcp_servers"]
        {
            #expect(paths.contains(path), "\(path) in \(paths)")
        }
        #expect(config.litellmSummary.contains("unsupported"))
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(path: Self.directory.appendingPathComponent("unsupported-features.yaml").path, environment: [:], strict: true)
        }
    }

    @Test func importTableLabelsEveryKey() throws {
        let config = try ConfigLoader.load(path: Self.directory.appendingPathComponent("reliability.yaml").path, environment: [:])
        let table = config.migration.table()
        #expect(table.contains("router_settings.context_window_fallbacks"))
        #expect(table.contains("exact"))
        #expect(table.contains("approximate"))
        let statuses = Dictionary(config.migration.map { ($0.key, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(statuses["router_settings.fallbacks"] == .exact)
        #expect(statuses["router_settings.retry_policy"] == .approximate)
        #expect(statuses["model_list[].litellm_params.max_retries"] == .approximate)
    }
}
