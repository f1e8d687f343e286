import Yams

extension GatewayConfig {
    /// Request parameters LiteLLM lets a deployment default (`litellm_params.temperature`, …).
    static let litellmDefaultParams: Set<String> = [
        "temperature", "max_tokens", "max_completion_tokens", "top_p", "stop", "presence_penalty",
        "frequency_penalty", "seed", "response_format", "n", "logit_bias", "reasoning_effort",
    ]

    /// Reads a LiteLLM proxy `config.yaml`: `model_list`, `general_settings.master_key` and
    /// `environment_variables`. Other keys load with a warning naming their YAML path.
    static func litellm(_ root: [(key: String, keyNode: Node, value: Node)], reader: YAMLReader) -> GatewayConfig {
        var config = GatewayConfig()
        config.format = .litellm
        if let variables = root.first(where: { $0.key == "environment_variables" }),
            let entries = reader.mapping(variables.value, "environment_variables")
        {
            for entry in entries where reader.environment[entry.key] == nil {
                if let value = reader.string(entry.value, join("environment_variables", entry.key)) {
                    reader.environment[entry.key] = value
                }
            }
        }
        for entry in root {
            switch entry.key {
            case "model_list", "environment_variables": break
            case "general_settings":
                guard let settings = reader.mapping(entry.value, entry.key) else { continue }
                for setting in settings {
                    let path = join(entry.key, setting.key)
                    if setting.key == "master_key" {
                        config.server.masterKey = readMasterKey(setting.value, path, reader: reader)
                    } else {
                        reader.warning(setting.keyNode, path, "not supported yet; ignored")
                    }
                }
            default:
                reader.warning(entry.keyNode, entry.key, "not supported yet; ignored")
            }
        }
        guard let list = root.first(where: { $0.key == "model_list" }),
            let entries = reader.sequence(list.value, "model_list")
        else { return config }

        var modelIndex: [String: Int] = [:]
        for (i, node) in entries.enumerated() {
            let path = "model_list[\(i)]"
            guard let fields = reader.mapping(node, path) else { continue }
            guard let nameEntry = fields.first(where: { $0.key == "model_name" }) else {
                reader.error(node, path, "missing 'model_name'")
                continue
            }
            guard let modelName = reader.string(nameEntry.value, join(path, "model_name")) else { continue }
            for field in fields where !["model_name", "litellm_params", "model_info"].contains(field.key) {
                reader.warning(field.keyNode, join(path, field.key), "not supported yet; ignored")
            }
            guard let paramsEntry = fields.first(where: { $0.key == "litellm_params" }) else {
                reader.error(node, path, "missing 'litellm_params'")
                continue
            }
            guard let target = readLiteLLMDeployment(
                paramsEntry.value, path: join(path, "litellm_params"), modelName: modelName, config: &config, reader: reader)
            else { continue }
            if let index = modelIndex[modelName] {
                config.models[index].targets.append(target)
            } else {
                modelIndex[modelName] = config.models.count
                config.models.append(ModelSpec(name: modelName, targets: [target]))
            }
        }
        return config
    }

    private static func readLiteLLMDeployment(
        _ node: Node, path: String, modelName: String, config: inout GatewayConfig, reader: YAMLReader
    ) -> TargetSpec? {
        guard let fields = reader.mapping(node, path) else { return nil }
        guard let modelEntry = fields.first(where: { $0.key == "model" }),
            let qualified = reader.string(modelEntry.value, join(path, "model"))
        else {
            reader.error(node, path, "missing 'model' (such as openai/gpt-4o)")
            return nil
        }
        var kind = ProviderKind.openai
        var upstreamModel = qualified
        if let slash = qualified.firstIndex(of: "/") {
            let prefix = String(qualified[..<slash])
            switch prefix {
            case "openai", "openai_compatible", "custom_openai", "hosted_vllm", "vllm", "lm_studio":
                upstreamModel = String(qualified[qualified.index(after: slash)...])
            default:
                reader.error(modelEntry.value, join(path, "model"), "provider prefix '\(prefix)/' is not supported yet",
                    hint: "supported now: openai/ and OpenAI-compatible servers via api_base")
                return nil
            }
        }
        var apiBase: String?
        var apiKey: String?
        var missingKey: String?
        var target = TargetSpec(provider: "", model: upstreamModel)
        for field in fields {
            let fieldPath = join(path, field.key)
            switch field.key {
            case "model": break
            case "api_base", "base_url": apiBase = readURL(field.value, fieldPath, reader: reader)
            case "api_key": apiKey = reader.string(field.value, fieldPath, missingVariable: &missingKey)
            case "mock_response":
                kind = .mock
                target.mockResponse = reader.string(field.value, fieldPath)
            case "timeout", "request_timeout": target.timeout = reader.duration(field.value, fieldPath)
            case "weight":
                if let weight = reader.double(field.value, fieldPath) {
                    if weight > 0 { target.weight = weight } else { reader.error(field.value, fieldPath, "weight must be positive, found \(weight)") }
                }
            case "order": target.order = reader.int(field.value, fieldPath) ?? 0
            case let key where litellmDefaultParams.contains(key):
                if let value = reader.json(field.value, fieldPath) { target.defaultParams[key] = value }
            default:
                reader.warning(field.keyNode, fieldPath, "not supported yet; ignored")
            }
        }
        target.provider = litellmProvider(kind: kind, apiBase: apiBase, apiKey: apiKey, missingKey: missingKey, config: &config)
        return target
    }

    /// Deployments that share kind, base URL and key share one provider (and connection pool).
    private static func litellmProvider(
        kind: ProviderKind, apiBase: String?, apiKey: String?, missingKey: String?, config: inout GatewayConfig
    ) -> String {
        if let existing = config.providers.first(where: {
            $0.kind == kind && $0.apiBase == apiBase && $0.apiKey == apiKey && $0.missingKeyVariable == missingKey
        }) {
            return existing.name
        }
        let count = config.providers.filter { $0.kind == kind }.count
        var provider = ProviderSpec(name: count == 0 ? kind.rawValue : "\(kind.rawValue)-\(count + 1)", kind: kind)
        provider.apiBase = apiBase
        provider.apiKey = apiKey
        provider.missingKeyVariable = missingKey
        config.providers.append(provider)
        return provider.name
    }
}
