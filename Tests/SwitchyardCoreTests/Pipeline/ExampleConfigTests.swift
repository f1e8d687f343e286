import Foundation
import Testing

@testable import SwitchyardCore

/// Every configuration shipped in `pipelines/` and `examples/` compiles (`switchyard check`) and
/// passes its own `tests:` section (`switchyard test`).
@Suite("shipped example configurations")
struct ExampleConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var files: [String] {
        ["pipelines", "examples"].flatMap { directory -> [String] in
            let url = root.appendingPathComponent(directory)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(directory)/\($0)" }
        }
    }

    @Test func thereAreExamples() {
        for name in ["default", "routing-rules", "ab-split", "fallback-chain", "rate-limits"] {
            #expect(Self.files.contains("pipelines/\(name).yaml"))
        }
    }

    @Test(arguments: files)
    func checksAndPassesItsTests(_ file: String) async throws {
        let path = Self.root.appendingPathComponent(file).path
        let config: GatewayConfig
        do {
            config = try ConfigLoader.load(path: path, environment: [:])
        } catch {
            Issue.record("\(file) does not load:\n\(error)")
            return
        }
        let program = try GatewayProgram(config: config)
        #expect(!program.tests.isEmpty, "\(file) has no tests: section")
        #expect(!PipelineGraph(program).text().isEmpty)
        #expect(PipelineGraph(program).mermaid().hasPrefix("flowchart LR"))
        #expect(PipelineGraph(program).dot().hasPrefix("digraph"))
        for outcome in await PipelineTestRunner.run(program) {
            #expect(outcome.passed, "\(file): \(outcome.name): \(outcome.failures.joined(separator: "; "))")
        }
    }

    @Test func aFailingExpectationIsReported() async throws {
        let config = try ConfigLoader.load(yaml: """
            providers: {m: {kind: mock}}
            models: {a: {provider: m}, b: {provider: m}}
            tests:
              - name: wrong target
                request: {model: a}
                expect: {target: m/b, path: [main]}
            """, environment: [:])
        let outcomes = await PipelineTestRunner.run(try GatewayProgram(config: config))
        #expect(outcomes.count == 1)
        #expect(outcomes[0].failures == ["path: expected main, got ", "target: expected m/b, got m/a"])
    }
}
