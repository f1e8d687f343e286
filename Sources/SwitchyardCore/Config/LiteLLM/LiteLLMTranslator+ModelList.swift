import Yams

/// One `model_list[]` entry, as read: raw values where the native reader should resolve them
/// (`os.environ/` references stay references in the generated file).
struct Deployment {
    var group: String
    var mark: SourceMark
    var kind: ProviderKind = .openai
    var upstreamModel: String
    var apiBase: String?
    var apiKey: String?
    var apiVersion: String?
    var keyVariable: String?
    var headers: [(name: String, value: String)] = []
    var rpm: Int?
    var tpm: Int?
    var weight: Double?
    var order: Int?
    var timeout: Duration?
    var streamTimeout: Duration?
    var mockResponse: String?
    var params = JSONObject()
    var id: String?
    var maxInputTokens: Int?
    var inputCost: Double?
    var outputCost: Double?
    /// `litellm_params.tags`, for `enable_tag_filtering`.
    var tags: [String] = []
    /// `aws_*` / `vertex_*` keys, raw (`os.environ/` references kept), for the native provider.
    var cloud: [(key: String, value: String)] = []

    /// What makes two deployments share one native provider (and connection pool).
    var providerKey: String {
        [kind.rawValue, apiBase ?? "", apiKey ?? "", apiVersion ?? "", keyVariable ?? ""].joined(separator: "\u{1}")
            + headers.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1}")
            + cloud.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
    }
}

extension LiteLLMTranslator {
    /// Request parameters a deployment may default (`litellm_params.temperature`, …).
    static let defaultParams: Set<String> = [
        "temperature", "max_tokens", "max_completion_tokens", "top_p", "stop", "presence_penalty",
        "frequency_penalty", "seed", "response_format", "n", "logit_bias", "reasoning_effort", "user",
        "parallel_tool_calls", "tool_choice", "top_k", "extra_body",
    ]

    func readDeployment(_ node: Node, index: Int) {
        let path = "model_list[\(index)]"
        guard let fields = reader.mapping(node, path) else { return }
        guard let nameEntry = fields.first(where: { $0.key == "model_name" }) else {
            reader.error(node, path, "missing 'model_name'")
            return
        }
        guard let group = reader.string(nameEntry.value, join(path, "model_name")) else { return }
        note(nameEntry.keyNode, join(path, "model_name"), .exact, "models.NAME (entries sharing a name are one model with several targets)")
        guard let paramsEntry = fields.first(where: { $0.key == "litellm_params" }) else {
            reader.error(node, path, "missing 'litellm_params'")
            return
        }
        let paramsPath = join(path, "litellm_params")
        guard var params = reader.mapping(paramsEntry.value, paramsPath) else { return }
        // A named credential's values, unless the deployment sets them itself.
        if let credential = params.first(where: { $0.key == "litellm_credential_name" }) {
            let credentialPath = join(paramsPath, "litellm_credential_name")
            if let name = reader.string(credential.value, credentialPath) {
                if let values = credentials[name] {
                    let own = Set(params.map(\.key))
                    params += values.filter { !own.contains($0.key) }
                    note(credential.keyNode, credentialPath, .exact, "the credential's values are used")
                } else {
                    reader.error(credential.value, credentialPath, "no credential named '\(name)' in credential_list",
                        hint: Suggestion.didYouMean(name, among: credentials.keys))
                }
            }
        }
        guard let modelEntry = params.first(where: { $0.key == "model" }),
            let qualified = reader.string(modelEntry.value, join(paramsPath, "model"))
        else {
            reader.error(paramsEntry.value, paramsPath, "missing 'model' (such as openai/gpt-4o)")
            return
        }
        var deployment = Deployment(group: group, mark: reader.mark(node, path), upstreamModel: qualified)
        // The provider: `custom_llm_provider`, else the model's prefix, else OpenAI.
        var prefix: String?
        if let slash = qualified.firstIndex(of: "/") {
            prefix = String(qualified[..<slash])
            deployment.upstreamModel = String(qualified[qualified.index(after: slash)...])
        }
        if let custom = params.first(where: { $0.key == "custom_llm_provider" }), let name = reader.string(custom.value, join(paramsPath, custom.key)) {
            if prefix != name { deployment.upstreamModel = qualified }
            prefix = name
            note(custom.keyNode, join(paramsPath, custom.key), .exact, "the provider kind")
        }
        let isMock = params.contains { $0.key == "mock_response" }
        if isMock {
            deployment.kind = .mock
        } else if let prefix {
            guard let known = ProviderKind.litellmPrefix(prefix) else {
                note(modelEntry.value, join(paramsPath, "model"), .unsupported, "provider '\(prefix)/' is not served by Switchyard; deployment left out")
                return
            }
            deployment.kind = known.kind
            deployment.keyVariable = known.keyVariable
            note(modelEntry.keyNode, join(paramsPath, "model"), .exact, "provider kind from the prefix, upstream model name")
        } else {
            deployment.keyVariable = "OPENAI_API_KEY"
            note(modelEntry.keyNode, join(paramsPath, "model"), .exact, "an OpenAI model (no provider prefix)")
        }

        var leftOut: String?
        for field in params {
            let fieldPath = join(paramsPath, field.key)
            switch field.key {
            case "model", "custom_llm_provider", "litellm_credential_name": break
            case let key where GatewayConfig.awsKeys.contains(key) || GatewayConfig.vertexKeys.contains(key):
                let wanted: ProviderKind = key.hasPrefix("aws_") ? .bedrock : .vertexAI
                guard deployment.kind == wanted else {
                    note(field.keyNode, fieldPath, .approximate, "only \(wanted.rawValue)/ deployments use it; ignored")
                    continue
                }
                _ = settingText(field.value, fieldPath)
                if let value = raw(field.value) { deployment.cloud.append((key, value)) }
                note(field.keyNode, fieldPath, .exact, "providers.NAME.\(key)")
            case "aws_bedrock_runtime_endpoint":
                if let text = settingText(field.value, fieldPath), GatewayConfig.checkURL(text, field.value, fieldPath, reader: reader) == nil { break }
                deployment.apiBase = raw(field.value)
                note(field.keyNode, fieldPath, .exact, "providers.NAME.api_base")
            case "aws_role_name", "aws_session_name", "aws_profile_name", "aws_web_identity_token", "aws_sts_endpoint", "aws_external_id":
                leftOut = field.key
                note(field.keyNode, fieldPath, .unsupported,
                    "assuming a role (STS AssumeRole, web identity) and AWS profiles are not implemented; deployment left out")
            case "api_base", "base_url":
                // An unset variable is reported (a warning: the deployment is unavailable) when
                // the native file is read.
                if let text = settingText(field.value, fieldPath), GatewayConfig.checkURL(text, field.value, fieldPath, reader: reader) == nil { break }
                deployment.apiBase = raw(field.value)
                note(field.keyNode, fieldPath, .exact, "providers.NAME.api_base")
            case "api_key":
                var missing: String?
                _ = reader.string(field.value, fieldPath, missingVariable: &missing)
                deployment.apiKey = raw(field.value)
                note(field.keyNode, fieldPath, .exact, "providers.NAME.api_key (an unset variable makes the deployment unavailable)")
            case "api_version":
                _ = settingText(field.value, fieldPath)
                if let value = raw(field.value) {
                    deployment.apiVersion = value
                    note(field.keyNode, fieldPath, deployment.kind == .azure ? .exact : .approximate,
                        deployment.kind == .azure ? "providers.NAME.api_version" : "only Azure uses it; ignored")
                    if deployment.kind != .azure { deployment.apiVersion = nil }
                }
            case "organization":
                _ = settingText(field.value, fieldPath)
                if let value = raw(field.value) {
                    deployment.headers.append(("OpenAI-Organization", value))
                    note(field.keyNode, fieldPath, .exact, "providers.NAME.headers.OpenAI-Organization")
                }
            case "extra_headers", "headers":
                for header in reader.mapping(field.value, fieldPath) ?? [] {
                    _ = settingText(header.value, join(fieldPath, header.key))
                    if let value = raw(header.value) {
                        deployment.headers.append((header.key, value))
                    }
                }
                note(field.keyNode, fieldPath, .exact, "providers.NAME.headers (deployments with other headers get their own provider)")
            case "rpm", "tpm":
                let value = reader.int(field.value, fieldPath, range: 1...Int(Int32.max))
                if field.key == "rpm" { deployment.rpm = value } else { deployment.tpm = value }
                note(field.keyNode, fieldPath, .exact, "targets[].\(field.key) (read by usage routing; the weight under simple-shuffle)")
            case "weight":
                if let weight = reader.double(field.value, fieldPath) {
                    if weight > 0 { deployment.weight = weight } else { reader.error(field.value, fieldPath, "weight must be positive, found \(weight)") }
                }
                note(field.keyNode, fieldPath, .exact, "targets[].weight")
            case "order":
                deployment.order = reader.int(field.value, fieldPath, range: 0...1_000_000)
                note(field.keyNode, fieldPath, .approximate, "targets[].order with routing: priority — the lowest order serves, the next tier only while it cools down; no shuffle within a tier")
            case "timeout", "request_timeout":
                deployment.timeout = reader.duration(field.value, fieldPath)
                note(field.keyNode, fieldPath, .exact, "targets[].timeout and idle_timeout: the wait for the headers and for each body read, as httpx applies it")
            case "stream_timeout":
                deployment.streamTimeout = reader.duration(field.value, fieldPath)
                note(field.keyNode, fieldPath, .approximate, "targets[].idle_timeout: the longest wait between chunks (for streamed and non-streamed answers alike)")
            case "max_retries":
                _ = reader.int(field.value, fieldPath, range: 0...100)
                note(field.keyNode, fieldPath, .approximate, "per-deployment client retries are not made; the router's num_retries retry stage covers them")
            case "mock_response":
                deployment.mockResponse = reader.string(field.value, fieldPath)
                note(field.keyNode, fieldPath, .exact, "a mock target answering with this text")
            case "tags":
                let items: [Node] = if case .sequence = field.value { reader.sequence(field.value, fieldPath) ?? [] } else { [field.value] }
                deployment.tags = items.enumerated().compactMap { reader.string($1, "\(fieldPath)[\($0)]") }
                if router.tagFiltering {
                    note(field.keyNode, fieldPath, .approximate,
                        "tag routing: a request's first tag (in \"tags\" or metadata.tags) that a deployment has picks those deployments; else the 'default' ones")
                } else {
                    note(field.keyNode, fieldPath, .unsupported, "tags for spend tracking are not implemented (tag routing needs router_settings.enable_tag_filtering)")
                }
            case "input_cost_per_token":
                deployment.inputCost = reader.double(field.value, fieldPath)
                note(field.keyNode, fieldPath, .exact, "targets[].input_cost_per_token (spend; cost-based-routing order)")
            case "output_cost_per_token":
                deployment.outputCost = reader.double(field.value, fieldPath)
                note(field.keyNode, fieldPath, .exact, "targets[].output_cost_per_token (spend)")
            case let key where Self.defaultParams.contains(key):
                if let value = reader.json(field.value, fieldPath) { deployment.params[key] = value }
                note(field.keyNode, fieldPath, .exact, "targets[].params (applied when the request does not set it)")
            case "drop_params":
                note(field.keyNode, fieldPath, .approximate, "parameters are forwarded as sent; nothing is dropped")
            default:
                unsupportedKey(field.keyNode, fieldPath)
            }
        }
        if leftOut != nil { return }
        if deployment.apiKey == nil, deployment.apiBase != nil { deployment.keyVariable = nil }
        if deployment.kind == .mock { deployment.keyVariable = nil }

        for field in fields where field.key != "model_name" && field.key != "litellm_params" {
            let fieldPath = join(path, field.key)
            guard field.key == "model_info" else {
                unsupportedKey(field.keyNode, fieldPath)
                continue
            }
            for info in reader.mapping(field.value, fieldPath) ?? [] {
                let infoPath = join(fieldPath, info.key)
                switch info.key {
                case "id":
                    deployment.id = reader.string(info.value, infoPath)
                    note(info.keyNode, infoPath, .exact, "targets[].id (the x-litellm-model-id header)")
                case "max_input_tokens":
                    deployment.maxInputTokens = reader.int(info.value, infoPath, range: 1...Int.max)
                    note(info.keyNode, infoPath, .approximate, "kept as a comment; requests are not filtered by it (use context_window_fallbacks)")
                case "input_cost_per_token":
                    deployment.inputCost = reader.double(info.value, infoPath)
                    note(info.keyNode, infoPath, .exact, "targets[].input_cost_per_token (spend; cost-based-routing order)")
                case "output_cost_per_token":
                    deployment.outputCost = reader.double(info.value, infoPath)
                    note(info.keyNode, infoPath, .exact, "targets[].output_cost_per_token (spend)")
                default:
                    note(info.keyNode, infoPath, .approximate, "informational; ignored")
                }
            }
        }
        deployments.append(deployment)
    }

    /// A provider setting's text; nil (and no error) when it names an unset variable, which the
    /// native reader reports as a warning.
    func settingText(_ node: Node, _ path: String) -> String? {
        var missing: String?
        return reader.string(node, path, missingVariable: &missing)
    }
}
