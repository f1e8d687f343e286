import ArgumentParser
import Foundation
import SwitchyardCore

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dry-run one request through a configuration (no network): path, each stage's decision, the final target.")

    @Argument(help: "Configuration file.")
    var file: String

    @Option(help: "A JSON chat request; may also carry \"headers\": {...}, \"key\" and \"content\" (one user message).")
    var request: String

    @Option(name: .customLong("fail"), help: "Simulate an upstream failure: TARGET=STATUS|timeout|connect|context_window|content_policy (repeatable).")
    var failures: [String] = []

    func run() async throws {
        let program = try loadProgram(path: file)
        let object: JSONObject
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: request))
            guard case .object(let parsed) = try JSONParser.parse(Array(data)) else {
                throw ValidationError("\(request): the request must be a JSON object")
            }
            object = parsed
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(request): \(error)")
        }
        var failing: [String: String] = [:]
        for failure in failures {
            let parts = failure.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--fail expects TARGET=STATUS, got '\(failure)'") }
            failing[parts[0]] = parts[1]
        }
        let (result, calls) = await program.dryRun(DryRunRequest(object), failing: failing)
        print("path: \(result.path.isEmpty ? "(no pipeline)" : result.path.joined(separator: " → "))")
        for (i, decision) in result.decisions.enumerated() { print("  \(i + 1). \(decision)") }
        if let arm = result.arm { print("arm: \(arm)") }
        for scrub in result.scrubbed {
            let changes = scrub.summary.replacements.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            print("scrub \(scrub.stage): \(changes.isEmpty ? "nothing changed" : changes.joined(separator: ", "))")
        }
        print("attempts: \(result.attempts)")
        switch result.outcome {
        case .success:
            print("target: \(result.target?.label ?? "(none)")")
        case .failure(let error):
            print("answer: \(error.status) \(error.code): \(error.message)")
        }
        if let last = calls.last { print("upstream body: \(last.body)") }
    }
}
