import ArgumentParser
import SwitchyardCore

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the effective configuration.", subcommands: [ConfigShow.self])
}

/// `switchyard config show`: every `server:` and `database:` setting with its effective value
/// and where it came from (default, file:line:column, env NAME, flag), secrets redacted.
struct ConfigShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the effective server and database settings and where each came from.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: LayeredOptions

    @Option(help: "text (one setting per line) or json.")
    var format = Format.text

    func run() throws {
        let settings = try loadConfig(path: options.config, overrides: options.overrides).effectiveSettings
        switch format {
        case .text:
            let nameWidth = settings.map(\.name.count).max() ?? 0
            let valueWidth = settings.map { ($0.value ?? "(unset)").count }.max() ?? 0
            for setting in settings {
                let value = setting.value ?? "(unset)"
                print(pad(setting.name, nameWidth) + "  " + pad(value, valueWidth) + "  " + setting.source.description)
            }
        case .json:
            let rows: [JSONValue] = settings.map { setting in
                [
                    "name": .string(setting.name), "value": setting.value.map(JSONValue.string) ?? .null,
                    "source": .string(setting.source.kind), "from": .string(setting.source.description),
                ]
            }
            print(JSONWriter.string(["settings": .array(rows)]))
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
