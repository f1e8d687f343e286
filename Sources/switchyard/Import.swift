import ArgumentParser
import Foundation
import SwitchyardCore

/// `switchyard import litellm FILE [-o OUT]`: writes the native equivalent of a LiteLLM config
/// and prints how each LiteLLM key carried over.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert another gateway's configuration into a native Switchyard config.",
        discussion: "Prints a table of every key: exact, approximate (and how) or unsupported.")

    enum Dialect: String, ExpressibleByArgument, CaseIterable {
        case litellm
    }

    @Argument(help: "The source format: litellm.")
    var dialect: Dialect

    @Argument(help: "The configuration file to convert.")
    var file: String

    @Option(name: .shortAndLong, help: "Where to write the native config (default: standard output).")
    var output: String?

    func run() throws {
        let config: GatewayConfig
        do {
            // Converting needs no secrets: when variables are unset, load again with stand-ins
            // (the output keeps the os.environ/ references either way).
            do {
                config = try ConfigLoader.load(path: file)
            } catch where error.diagnostics.contains(where: { $0.message.contains("is not set") }) {
                config = try ConfigLoader.load(path: file, environment: Self.environment(for: file))
            }
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            printError("\(file): cannot be imported")
            throw ExitCode(1)
        }
        guard config.format == .litellm, let text = config.nativeText else {
            printError("\(file): not a LiteLLM config (it has no 'model_list'); it is already native")
            throw ExitCode(1)
        }
        let document = text + "\n" + config.migration.table().split(separator: "\n", omittingEmptySubsequences: false)
            .map { "# \($0)" }.joined(separator: "\n") + "\n"
        if let output {
            do {
                try document.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                printError("cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            print(config.migration.table())
            print("wrote \(output)")
        } else {
            print(document, terminator: "")
            printError(config.migration.table())
        }
        for warning in config.warnings where warning.severity == .warning && !warning.message.hasPrefix("unsupported LiteLLM") {
            printError(warning.description)
        }
    }

    /// The process environment, plus a stand-in for every `os.environ/NAME` the file names but
    /// the environment lacks: converting needs no secrets (the output keeps the references).
    static func environment(for file: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return environment }
        var rest = Substring(text)
        while let range = rest.range(of: "os.environ/") {
            let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty, environment[String(name)] == nil {
                environment[String(name)] = "https://unset-\(name.lowercased().replacingOccurrences(of: "_", with: "-")).invalid"
            }
            rest = rest[range.upperBound...]
        }
        return environment
    }
}
