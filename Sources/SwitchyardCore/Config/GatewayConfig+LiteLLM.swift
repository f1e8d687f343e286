import Yams

extension GatewayConfig {
    /// Reads a LiteLLM proxy `config.yaml`: translates it into a native configuration
    /// (`LiteLLMTranslator`) and reads that with the native reader, so a LiteLLM file and its
    /// `switchyard import` output compile into the same program. Problems are reported at the
    /// LiteLLM file's lines; unsupported keys are warnings (errors with `--strict`).
    static func litellm(_ root: [(key: String, keyNode: Node, value: Node)], reader: YAMLReader) -> GatewayConfig {
        let translator = LiteLLMTranslator(reader: reader)
        let entries = root + LiteLLMTranslator.included(root, file: reader.file, reader: reader)
        if root.contains(where: { $0.key == "include" }), let include = root.first(where: { $0.key == "include" }) {
            translator.note(include.keyNode, "include", .exact, "the files' sections are merged in (model_list entries appended)")
        }
        translator.read(entries)
        let source = reader.file.split(separator: "/").last.map(String.init) ?? reader.file
        let writer = translator.emit(source: source)
        translator.reportUnsupported()

        var config = GatewayConfig()
        config.format = .litellm
        config.migration = translator.notes.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        config.nativeText = writer.text
        guard !reader.hasErrors else { return config }

        let native = YAMLReader(file: reader.file, environment: reader.environment)
        guard let node = try? Yams.compose(yaml: writer.text), let nativeRoot = native.mapping(node, "") else {
            reader.error(nil, "", "internal error: the translated configuration is not valid YAML")
            return config
        }
        var translated = GatewayConfig.native(nativeRoot, reader: native)
        translated.file = reader.file
        if !native.hasErrors {
            native.append(GatewayProgram.compilePipelines(translated, scrubbers: PIIScrubberFactory()).1)
        }
        reader.append(native.diagnostics.map { remap($0, writer: writer) })
        for (setting, source) in translated.settingSources {
            if case .file(_, let line, _) = source, let origin = writer.origin(ofLine: line) {
                translated.settingSources[setting] = .file(reader.file, line: origin.line, column: origin.column)
            }
        }
        translated.format = .litellm
        translated.migration = config.migration
        translated.nativeText = config.nativeText
        return translated
    }

    /// A problem found in the generated text, moved to the LiteLLM line it came from.
    private static func remap(_ diagnostic: ConfigDiagnostic, writer: NativeYAMLWriter) -> ConfigDiagnostic {
        var remapped = diagnostic
        let generatedPath = diagnostic.path
        if let origin = writer.origin(ofLine: diagnostic.line) {
            remapped.line = origin.line
            remapped.column = origin.column
            remapped.path = origin.path
        }
        remapped.message += " (in the translated native config at line \(diagnostic.line)\(generatedPath.isEmpty ? "" : ", \(generatedPath)"); see `switchyard import litellm`)"
        return remapped
    }
}
