import ArgumentParser
import SwitchyardCore

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration, print its compiled pipeline graph and run its tests.")

    @Argument(help: "Configuration file.")
    var file: String

    @Flag(help: "Only validate; do not print the graph or run the tests.")
    var quiet = false

    @Flag(help: "Treat unsupported LiteLLM keys as errors.")
    var strict = false

    func run() async throws {
        let program = try loadProgram(path: file, strict: strict)
        print("\(file): ok (\(program.providers.count) providers, \(program.modelNames.count) models, \(program.pipelineNames.count) pipelines)")
        guard !quiet else { return }
        for provider in program.providers {
            let note = provider.unavailableReason.map { "  [unavailable: \($0)]" } ?? ""
            print("provider \(provider.spec.name) (\(provider.spec.kind.rawValue))\(note)")
        }
        print(PipelineGraph(program).text())
        if !program.tests.isEmpty {
            let outcomes = await PipelineTestRunner.run(program)
            printTestOutcomes(outcomes, file: file, verbose: false)
            if outcomes.contains(where: { !$0.passed }) { throw ExitCode(1) }
        }
    }
}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Render a configuration's pipelines as Mermaid or Graphviz dot.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid, dot, text
    }

    @Argument(help: "Configuration file.")
    var file: String

    @Option(help: "Output format: mermaid, dot or text.")
    var format: Format = .mermaid

    func run() throws {
        let graph = PipelineGraph(try loadProgram(path: file))
        switch format {
        case .mermaid: print(graph.mermaid())
        case .dot: print(graph.dot())
        case .text: print(graph.text())
        }
    }
}

struct RunTests: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run the configuration's tests: section (no network); exit 1 on failure.")

    @Argument(help: "Configuration file.")
    var file: String

    @Flag(name: .shortAndLong, help: "Print every test, not only failures.")
    var verbose = false

    func run() async throws {
        let program = try loadProgram(path: file)
        if program.tests.isEmpty {
            print("\(file): no tests")
            return
        }
        let outcomes = await PipelineTestRunner.run(program)
        printTestOutcomes(outcomes, file: file, verbose: verbose)
        if outcomes.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }
}

func printTestOutcomes(_ outcomes: [PipelineTestRunner.Outcome], file: String, verbose: Bool) {
    for outcome in outcomes {
        if outcome.passed {
            if verbose { print("PASS \(outcome.name)") }
        } else {
            print("FAIL \(outcome.name) (\(file):\(outcome.mark.line):\(outcome.mark.column))")
            for failure in outcome.failures { print("     \(failure)") }
        }
    }
    let passed = outcomes.count { $0.passed }
    print("\(passed) passed, \(outcomes.count - passed) failed")
}
