/// The compiled, immutable form of a configuration: what the HTTP front end runs per request.
///
/// Everything that can be resolved at startup is: provider names become indices, weights become
/// a cumulative table, the `/v1/models` body is encoded once. A program is shared by all requests
/// and replaced whole on reload.
public final class GatewayProgram: Sendable {
    public let settings: ServerSettings
    public let providers: [CompiledProvider]
    /// Client-visible model names, in file order.
    public let modelNames: [String]
    /// The `GET /v1/models` response body.
    public let modelListBody: [UInt8]
    /// Diagnostics that did not prevent loading.
    public let warnings: [ConfigDiagnostic]
    private let models: [String: CompiledModel]

    /// Compiles a loaded configuration.
    public init(config: GatewayConfig) {
        self.settings = config.server
        self.warnings = config.warnings
        var providers: [CompiledProvider] = []
        var providerIndex: [String: Int] = [:]
        for spec in config.providers {
            providerIndex[spec.name] = providers.count
            let reason = spec.missingKeyVariable.map {
                "provider '\(spec.name)' needs the environment variable \($0), which is not set"
            }
            providers.append(CompiledProvider(index: providers.count, spec: spec, unavailableReason: reason))
        }
        self.providers = providers

        var models: [String: CompiledModel] = [:]
        var names: [String] = []
        for model in config.models {
            var targets: [Target] = []
            var reasons: [String] = []
            for spec in model.targets {
                // The loader has checked every provider name.
                guard let index = providerIndex[spec.provider] else { continue }
                let provider = providers[index]
                if let reason = provider.unavailableReason {
                    reasons.append(reason)
                    continue
                }
                targets.append(
                    Target(
                        providerIndex: index, providerName: provider.spec.name, providerKind: provider.spec.kind,
                        model: spec.model, weight: spec.weight, order: spec.order,
                        timeout: spec.timeout ?? provider.spec.timeout ?? config.server.requestTimeout,
                        defaultParams: spec.defaultParams, mockResponse: spec.mockResponse ?? provider.spec.mockResponse,
                        label: "\(provider.spec.name)/\(spec.model)"))
            }
            let reason = targets.isEmpty ? "model '\(model.name)' is not available: \(reasons.first ?? "it has no targets")" : nil
            models[model.name] = CompiledModel(name: model.name, strategy: model.routing, targets: targets, unavailableReason: reason)
            names.append(model.name)
        }
        self.models = models
        self.modelNames = names
        let available = names.filter { !(models[$0]?.targets.isEmpty ?? true) }
        self.modelListBody = JSONWriter.bytes([
            "object": "list",
            "data": .array(available.map { ["id": .string($0), "object": "model", "created": 0, "owned_by": "switchyard"] }),
        ])
    }

    /// Chooses the target for a request.
    /// - Throws: 404 `model_not_found` for an unknown model; 503 when its providers are unavailable.
    public func route(_ request: ChatRequest) throws(GatewayError) -> Target {
        guard let model = models[request.requestedModel] else {
            throw GatewayError(
                .modelNotFound, status: 404,
                message: "The model '\(request.requestedModel)' does not exist. GET /v1/models lists the models this gateway serves.",
                param: "model")
        }
        guard !model.targets.isEmpty else {
            throw GatewayError(.modelUnavailable, status: 503, message: model.unavailableReason ?? "model is not available", param: "model")
        }
        var generator = SystemRandomNumberGenerator()
        return model.pick(using: &generator)
    }

    /// Runs one request: route it, apply the target's defaults, call the upstream.
    public func execute(
        _ request: ChatRequest, context: CallContext, upstream: some ProviderAdapter
    ) async throws(GatewayError) -> (Target, UpstreamReply) {
        let target = try route(request)
        var request = request
        for param in target.defaultParams where request[param.key] == nil {
            request.set(param.key, param.value)
        }
        return (target, try await upstream.chat(request, target: target, context: context))
    }
}
