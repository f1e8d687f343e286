import Yams

extension GatewayConfig {
    static let nativeTopLevelKeys = ["server", "providers", "models", "pipelines", "scrubbers", "tests", "database", "telemetry"]
    static let providerKeys = ["kind", "api_base", "api_key", "api_version", "headers", "mock_response", "max_connections"]
        + DeadlineOverrides.keys + awsKeys + vertexKeys
    static let targetKeys = ["provider", "model", "weight", "order", "params", "mock_response", "rpm", "tpm", "id",
        "input_cost_per_token", "output_cost_per_token", "api"] + DeadlineOverrides.keys
    static let modelKeys = targetKeys + ["targets", "routing", "pipeline", "allowed_fails", "cooldown"]

    /// Reads a native Switchyard file (`server:`, `providers:`, `models:`).
    static func native(_ root: [(key: String, keyNode: Node, value: Node)], reader: YAMLReader) -> GatewayConfig {
        var config = GatewayConfig()
        config.database.url = defaultDatabaseURL(nextTo: reader.file)
        config.database.isDefault = true
        reader.checkKeys(root, allowed: nativeTopLevelKeys, "", what: "section")
        for entry in root {
            if let section = layeredSections.first(where: { $0.name == entry.key }) {
                section.readFile(entry.value, reader: reader, into: &config)
            } else if entry.key == "providers" {
                config.providers = readProviders(entry.value, reader: reader)
            }
        }
        if let models = root.first(where: { $0.key == "models" }) {
            config.models = readModels(models.value, providers: config.providers, reader: reader)
        }
        for entry in root {
            switch entry.key {
            case "pipelines": config.pipelines = PipelineReader(reader: reader).pipelines(entry.value)
            case "scrubbers": config.scrubbers = PipelineReader(reader: reader).scrubbers(entry.value)
            case "tests": config.tests = PipelineReader(reader: reader).tests(entry.value)
            default: break
            }
        }
        return config
    }

    /// `switchyard.db` in the config file's folder.
    static func defaultDatabaseURL(nextTo file: String) -> String {
        "sqlite://" + resolve("switchyard.db", nextTo: file)
    }

    /// A path relative to the config file's folder (absolute paths stay as they are).
    static func resolve(_ path: String, nextTo file: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return String(file[...slash]) + path
    }

    /// A master key that names an unset variable is an error: starting without auth would be unsafe.
    static func readMasterKey(_ node: Node, _ path: String, reader: YAMLReader) -> String? {
        var missing: String?
        let key = reader.string(node, path, missingVariable: &missing)
        if let missing {
            reader.error(node, path, "master key environment variable '\(missing)' is not set; refusing to start without authentication")
            return nil
        }
        if key?.isEmpty == true {
            reader.error(node, path, "master key is empty")
            return nil
        }
        return key
    }

    static func readProviders(_ node: Node, reader: YAMLReader) -> [ProviderSpec] {
        guard let entries = reader.mapping(node, "providers") else { return [] }
        var providers: [ProviderSpec] = []
        for entry in entries {
            let path = join("providers", entry.key)
            guard let fields = reader.mapping(entry.value, path) else { continue }
            reader.checkKeys(fields, allowed: providerKeys, path)
            guard let kindEntry = fields.first(where: { $0.key == "kind" }) else {
                reader.error(entry.keyNode, path, "provider needs a 'kind'", hint: "one of: \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            guard let kindName = reader.string(kindEntry.value, join(path, "kind")) else { continue }
            guard let kind = ProviderKind(rawValue: kindName) else {
                let names = ProviderKind.allCases.map(\.rawValue)
                reader.error(
                    kindEntry.value, join(path, "kind"), "unknown provider kind '\(kindName)'",
                    hint: Suggestion.didYouMean(kindName, among: names) ?? "supported: \(names.joined(separator: ", "))")
                continue
            }
            var provider = ProviderSpec(name: entry.key, kind: kind)
            var unsetBase = false
            /// A setting naming an unset variable makes the provider unavailable (a warning), as an
            /// unset `api_key` does, rather than the file invalid.
            func setting(_ node: Node, _ path: String) -> String? {
                var missing: String?
                let value = reader.string(node, path, missingVariable: &missing)
                if let missing {
                    provider.missingKeyVariable = provider.missingKeyVariable ?? missing
                    reader.warning(node, path, "environment variable '\(missing)' is not set; provider '\(entry.key)' is unavailable until it is")
                }
                return value
            }
            for field in fields {
                let fieldPath = join(path, field.key)
                switch field.key {
                case "api_base":
                    if let text = setting(field.value, fieldPath) { provider.apiBase = checkURL(text, field.value, fieldPath, reader: reader) } else { unsetBase = true }
                case "api_key":
                    var missing: String?
                    provider.apiKey = reader.string(field.value, fieldPath, missingVariable: &missing)
                    if let missing { provider.missingKeyVariable = provider.missingKeyVariable ?? missing }
                case "api_version":
                    provider.apiVersion = setting(field.value, fieldPath)
                    if kind != .azure { reader.error(field.keyNode, fieldPath, "'api_version' is only used by kind 'azure'") }
                case "max_connections": provider.maxConnections = reader.int(field.value, fieldPath, range: 1...1_000_000)
                case let key where provider.deadlines.read(key, field.value, fieldPath, reader: reader): break
                case "mock_response": provider.mockResponse = reader.string(field.value, fieldPath)
                case let key where awsKeys.contains(key) || vertexKeys.contains(key):
                    readCloudKey(field, into: &provider, path: fieldPath, reader: reader)
                case "headers":
                    guard let headers = reader.mapping(field.value, fieldPath) else { continue }
                    for header in headers {
                        if let value = setting(header.value, join(fieldPath, header.key)) {
                            provider.headers.append((header.key, value))
                        }
                    }
                default: break
                }
            }
            applyKindDefaults(&provider, hasKey: fields.contains { $0.key == "api_key" }, unsetBase: unsetBase, node: entry.keyNode, path: path, reader: reader)
            providers.append(provider)
        }
        return providers
    }

    /// Fills in what the provider's kind implies: its default base URL and, when `api_key` is
    /// absent, its key variable (unset and required: the provider is unavailable, as with an
    /// unset `os.environ/` key).
    static func applyKindDefaults(_ provider: inout ProviderSpec, hasKey: Bool, unsetBase: Bool, node: Node, path: String, reader: YAMLReader) {
        let defaults = provider.kind.defaults
        if provider.apiBase == nil && !unsetBase { provider.apiBase = defaults.apiBase }
        if provider.apiBase == nil, !unsetBase, [.azure, .vllm, .hostedVLLM].contains(provider.kind) {
            reader.error(node, path, "kind '\(provider.kind.rawValue)' needs an 'api_base'",
                hint: provider.kind == .azure ? "such as https://my-resource.openai.azure.com" : "the server's URL, such as http://localhost:8000/v1")
        }
        if provider.kind == .bedrock { applyAWSDefaults(&provider, hasKey: hasKey, reader: reader) }
        if provider.kind == .vertexAI { applyVertexDefaults(&provider, node: node, path: path, reader: reader) }
        if !hasKey, let variable = defaults.keyVariable {
            if let value = reader.environment[variable], !value.isEmpty {
                provider.apiKey = value
            } else if defaults.keyRequired {
                provider.missingKeyVariable = variable
            }
        }
    }

    static func readURL(_ node: Node, _ path: String, reader: YAMLReader) -> String? {
        reader.string(node, path).flatMap { checkURL($0, node, path, reader: reader) }
    }

    static func checkURL(_ text: String, _ node: Node, _ path: String, reader: YAMLReader) -> String? {
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            reader.error(node, path, "'\(text)' is not an http:// or https:// URL")
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func readModels(_ node: Node, providers: [ProviderSpec], reader: YAMLReader) -> [ModelSpec] {
        guard let entries = reader.mapping(node, "models") else { return [] }
        var models: [ModelSpec] = []
        let providerNames = providers.map(\.name)
        for entry in entries {
            let path = join("models", entry.key)
            guard let fields = reader.mapping(entry.value, path) else { continue }
            reader.checkKeys(fields, allowed: modelKeys, path)
            var model = ModelSpec(name: entry.key, targets: [])
            if let routing = fields.first(where: { $0.key == "routing" }),
                let name = reader.string(routing.value, join(path, "routing"))
            {
                if let strategy = RoutingStrategy(rawValue: name == "usage-based" ? "usage" : name) {
                    model.routing = strategy
                } else {
                    let names = RoutingStrategy.allCases.map(\.rawValue)
                    reader.error(routing.value, join(path, "routing"), "unknown routing strategy '\(name)'",
                        hint: Suggestion.didYouMean(name, among: names) ?? "supported: \(names.joined(separator: ", "))")
                }
            }
            if let entry = fields.first(where: { $0.key == "allowed_fails" }) {
                model.allowedFails = reader.int(entry.value, join(path, "allowed_fails"), range: 1...1_000_000)
            }
            if let entry = fields.first(where: { $0.key == "cooldown" }) {
                model.cooldown = reader.duration(entry.value, join(path, "cooldown")) ?? model.cooldown
            }
            if let pipeline = fields.first(where: { $0.key == "pipeline" }) {
                if let other = fields.first(where: { $0.key != "pipeline" }) {
                    reader.error(other.keyNode, join(path, other.key), "a model with 'pipeline' takes no other keys")
                }
                if let name = reader.string(pipeline.value, join(path, "pipeline")) {
                    model.pipeline = NameRef(name, mark: reader.mark(pipeline.value, join(path, "pipeline")))
                }
            } else if let targets = fields.first(where: { $0.key == "targets" }) {
                if fields.contains(where: { $0.key == "provider" }) {
                    reader.error(targets.keyNode, path, "a model has either 'provider' or 'targets', not both")
                }
                for (i, targetNode) in (reader.sequence(targets.value, join(path, "targets")) ?? []).enumerated() {
                    let targetPath = "\(path).targets[\(i)]"
                    guard let targetFields = reader.mapping(targetNode, targetPath) else { continue }
                    reader.checkKeys(targetFields, allowed: targetKeys, targetPath)
                    if let target = readTarget(targetFields, node: targetNode, modelName: entry.key, path: targetPath, providerNames: providerNames, reader: reader) {
                        model.targets.append(target)
                    }
                }
                if model.targets.isEmpty { reader.error(targets.value, join(path, "targets"), "a model needs at least one target") }
            } else if let target = readTarget(fields, node: entry.value, modelName: entry.key, path: path, providerNames: providerNames, reader: reader) {
                model.targets = [target]
            }
            models.append(model)
        }
        return models
    }

    static func readTarget(
        _ fields: [(key: String, keyNode: Node, value: Node)], node: Node, modelName: String, path: String,
        providerNames: [String], reader: YAMLReader
    ) -> TargetSpec? {
        guard let providerEntry = fields.first(where: { $0.key == "provider" }) else {
            reader.error(node, path, "needs a 'provider' (or a 'targets' list)")
            return nil
        }
        guard let providerName = reader.string(providerEntry.value, join(path, "provider")) else { return nil }
        guard providerNames.contains(providerName) else {
            reader.error(
                providerEntry.value, join(path, "provider"), "no provider named '\(providerName)'",
                hint: Suggestion.didYouMean(providerName, among: providerNames)
                    ?? (providerNames.isEmpty ? "declare it under 'providers:'" : "declared: \(providerNames.joined(separator: ", "))"))
            return nil
        }
        var target = TargetSpec(provider: providerName, model: modelName)
        for field in fields {
            let fieldPath = join(path, field.key)
            switch field.key {
            case "model": target.model = reader.string(field.value, fieldPath) ?? modelName
            case "weight":
                if let weight = reader.double(field.value, fieldPath) {
                    if weight > 0 { target.weight = weight } else { reader.error(field.value, fieldPath, "weight must be positive, found \(weight)") }
                }
            case "order": target.order = reader.int(field.value, fieldPath) ?? 0
            case "rpm": target.rpm = reader.int(field.value, fieldPath, range: 1...Int.max)
            case "tpm": target.tpm = reader.int(field.value, fieldPath, range: 1...Int.max)
            case let key where target.deadlines.read(key, field.value, fieldPath, reader: reader): break
            case "mock_response": target.mockResponse = reader.string(field.value, fieldPath)
            case "id": target.id = reader.string(field.value, fieldPath)
            case "api": target.api = reader.oneOf(field.value, fieldPath) ?? .chat
            case "input_cost_per_token": target.inputCostPerToken = reader.double(field.value, fieldPath)
            case "output_cost_per_token": target.outputCostPerToken = reader.double(field.value, fieldPath)
            case "params":
                if case .object(let params)? = reader.json(field.value, fieldPath) {
                    target.defaultParams = params
                } else {
                    reader.error(field.value, fieldPath, "expected a mapping of request parameters")
                }
            default: break
            }
        }
        return target
    }
}
