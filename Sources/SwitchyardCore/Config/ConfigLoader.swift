import Foundation
import Yams

/// Loads a configuration file: YAML with source marks → `GatewayConfig`, reporting every problem.
public enum ConfigLoader {
    /// Reads and validates `path`.
    /// - Throws: `ConfigError` with one `file:line:column` diagnostic per problem.
    /// - Parameters:
    ///   - strict: unsupported LiteLLM keys are errors instead of warnings.
    ///   - overrides: environment and flag values applied over the file's `server:` and `database:`.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment, strict: Bool = false,
        overrides: ConfigOverrides = ConfigOverrides()
    ) throws(ConfigError) -> GatewayConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError([
                ConfigDiagnostic(file: path, line: 1, column: 1, path: "", message: "cannot read the file: \(error.localizedDescription)")
            ])
        }
        return try load(yaml: text, file: path, environment: environment, strict: strict, overrides: overrides)
    }

    /// Parses configuration text; `file` names it in diagnostics.
    public static func load(
        yaml: String, file: String = "<config>", environment: [String: String] = ProcessInfo.processInfo.environment,
        strict: Bool = false, overrides: ConfigOverrides = ConfigOverrides()
    ) throws(ConfigError) -> GatewayConfig {
        let reader = YAMLReader(file: file, environment: environment)
        reader.strict = strict
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigError([ConfigDiagnostic(file: file, line: 1, column: 1, path: "", message: "the file is empty")])
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw ConfigError([syntaxDiagnostic(error, file: file)])
        } catch {
            throw ConfigError([ConfigDiagnostic(file: file, line: 1, column: 1, path: "", message: "invalid YAML: \(error)")])
        }
        guard let entries = reader.mapping(root, "") else { throw ConfigError(reader.diagnostics) }
        var config =
            entries.contains(where: { $0.key == "model_list" })
            ? GatewayConfig.litellm(entries, reader: reader)
            : GatewayConfig.native(entries, reader: reader)
        config.file = file
        config.apply(overrides, reader: reader)
        config.checkLayeredSettings(reader: reader)
        if config.models.isEmpty && !reader.hasErrors {
            reader.error(root, "", "no models are defined", hint: config.format == .litellm ? "add entries to 'model_list'" : "add a 'models:' section")
        }
        warnAboutIncompleteProviders(config, reader: reader, root: root)
        if config.format == .native {
            // Resolve names and check the pipeline graph now, so every problem is reported in
            // one run, scrubber settings (detectors, patterns) included.
            reader.append(GatewayProgram.compilePipelines(config, scrubbers: PIIScrubberFactory()).1)
        }
        if reader.hasErrors {
            let inFileOrder = reader.diagnostics.enumerated().sorted { a, b in
                (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
            }.map(\.element)
            throw ConfigError(inFileOrder.filter { $0.severity == .error } + inFileOrder.filter { $0.severity == .warning })
        }
        config.warnings = reader.diagnostics
        return config
    }

    private static func warnAboutIncompleteProviders(_ config: GatewayConfig, reader: YAMLReader, root: Node) {
        for provider in config.providers where provider.kind == .openai && provider.apiBase == nil && provider.apiKey == nil && provider.missingKeyVariable == nil {
            reader.warning(root, "providers.\(provider.name)", "has neither 'api_base' nor 'api_key'; requests to api.openai.com will be rejected")
        }
    }

    static func syntaxDiagnostic(_ error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigDiagnostic(file: file, line: mark.line, column: mark.column, path: "", message: "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigDiagnostic(
                file: file, line: context.mark.line, column: context.mark.column, path: "",
                message: "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigDiagnostic(file: file, line: 1, column: 1, path: "", message: "invalid YAML: \(error)")
        }
    }
}
