import ArgumentParser
import SwitchyardCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate a configuration and print what it serves.")

    @Argument(help: "Configuration file.")
    var file: String

    func run() throws {
        let program = try loadProgram(path: file)
        print("\(file): ok (\(program.providers.count) providers, \(program.modelNames.count) models)")
        for provider in program.providers {
            let note = provider.unavailableReason.map { "  [unavailable: \($0)]" } ?? ""
            print("  provider \(provider.spec.name) (\(provider.spec.kind.rawValue))\(note)")
        }
        for name in program.modelNames {
            print("  model \(name)")
        }
    }
}
