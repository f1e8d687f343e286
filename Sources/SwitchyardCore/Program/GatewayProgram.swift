/// The compiled, immutable form of a configuration: what the HTTP front end runs per request.
///
/// Everything that can be resolved at startup is: provider and model names become indices,
/// pipelines become blocks of stages with their branches resolved, weights become cumulative
/// tables, regexes are compiled, the `/v1/models` body is encoded once. A program is shared by all
/// requests and replaced whole on reload.
public final class GatewayProgram: Sendable {
    public let settings: ServerSettings
    public let providers: [CompiledProvider]
    /// Client-visible model names, in file order (index = model index).
    public let modelNames: [String]
    /// The `GET /v1/models` response body.
    public let modelListBody: [UInt8]
    /// The models `/v1/models` lists (those that can serve), in file order.
    public let availableModels: [String]
    /// Diagnostics that did not prevent loading.
    public let warnings: [ConfigDiagnostic]
    /// The config's `tests:` section.
    public let tests: [PipelineTestSpec]
    /// The file the program was compiled from.
    public let file: String
    /// The dialect the file was written in (a LiteLLM config strips LiteLLM-only request fields).
    public let format: GatewayConfig.Format
    /// Where keys and spend are stored.
    public let database: DatabaseSettings
    /// Where traces go (used once, when `serve` starts).
    public let telemetry: TelemetrySettings

    /// Model index → what serves it.
    let models: [ModelEntry]
    let modelIndex: [String: Int]
    /// Models whose name has a `*` (`openai/*`, `*`), most specific first: a request naming no
    /// model exactly goes to the first whose pattern matches.
    let wildcards: [(prefix: String, suffix: String, index: Int)]
    let table: PipelineTable

    enum ModelEntry: Sendable {
        case deployments(CompiledModel)
        case pipeline(Int)
    }

    /// Compiles a loaded configuration.
    /// - Parameters:
    ///   - scrubbers: builds the `scrubbers:` policies (PCRE2 PII scrubbing by default); with nil,
    ///     a `scrub` stage is an error.
    /// - Throws: `ConfigError` with every compile problem (`file:line:column`).
    public init(config: GatewayConfig, scrubbers: (any ScrubberFactory)? = PIIScrubberFactory()) throws(ConfigError) {
        self.settings = config.server
        self.warnings = config.warnings
        self.tests = config.tests
        self.file = config.file
        self.format = config.format
        self.database = config.database
        self.telemetry = config.telemetry
        var providers: [CompiledProvider] = []
        var providerIndex: [String: Int] = [:]
        for var spec in config.providers {
            providerIndex[spec.name] = providers.count
            spec.maxConnections = spec.maxConnections ?? config.server.maxConnectionsPerProvider
            let reason = spec.missingKeyVariable.map {
                "provider '\(spec.name)' needs the environment variable \($0), which is not set"
            }
            providers.append(CompiledProvider(index: providers.count, spec: spec, unavailableReason: reason))
        }
        self.providers = providers

        let (table, diagnostics) = Self.compilePipelines(config, scrubbers: scrubbers)
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw ConfigError(errors) }
        self.table = table

        var models: [ModelEntry] = []
        var modelIndex: [String: Int] = [:]
        for (i, model) in config.models.enumerated() {
            modelIndex[model.name] = i
            if let pipeline = table.modelPipelines[i] {
                models.append(.pipeline(pipeline))
            } else {
                models.append(.deployments(Self.compileModel(model, providers: providers, providerIndex: providerIndex, server: config.server)))
            }
        }
        self.models = models
        self.modelIndex = modelIndex
        self.wildcards = config.models.enumerated().compactMap { i, model -> (prefix: String, suffix: String, index: Int)? in
            guard let star = model.name.firstIndex(of: "*") else { return nil }
            return (String(model.name[..<star]), String(model.name[model.name.index(after: star)...]), i)
        }.sorted { $0.prefix.count + $0.suffix.count > $1.prefix.count + $1.suffix.count }
        self.modelNames = config.models.map(\.name)
        let available = zip(modelNames, models).filter { _, entry in
            if case .deployments(let model) = entry { return !model.targets.isEmpty }
            return true
        }.map(\.0)
        self.availableModels = available
        self.modelListBody = Self.modelList(available)
    }

    /// A `GET /v1/models` body listing `names`.
    public static func modelList(_ names: [String]) -> [UInt8] {
        JSONWriter.bytes([
            "object": "list",
            "data": .array(names.map { ["id": .string($0), "object": "model", "created": 0, "owned_by": "switchyard"] }),
        ])
    }

    /// Compiles (or, for the loader, checks) the pipelines of a configuration.
    static func compilePipelines(_ config: GatewayConfig, scrubbers: (any ScrubberFactory)?) -> (PipelineTable, [ConfigDiagnostic]) {
        var modelIndex: [String: Int] = [:]
        for (i, model) in config.models.enumerated() { modelIndex[model.name] = i }
        var compiler = PipelineCompiler(
            file: config.file, specs: config.pipelines, modelIndex: modelIndex, modelNames: config.models.map(\.name),
            scrubbers: config.scrubbers, scrubberFactory: scrubbers)
        let modelPipelines = config.models.enumerated().compactMap { i, model in model.pipeline.map { (model: i, ref: $0) } }
        let table = compiler.compile(modelPipelines: modelPipelines)
        return (table, compiler.diagnostics)
    }

    private static func compileModel(
        _ model: ModelSpec, providers: [CompiledProvider], providerIndex: [String: Int], server: ServerSettings
    ) -> CompiledModel {
        var targets: [(target: Target, rpm: Int?, tpm: Int?)] = []
        var reasons: [String] = []
        for spec in model.targets {
            // The loader has checked every provider name.
            guard let index = providerIndex[spec.provider] else { continue }
            let provider = providers[index]
            if let reason = provider.unavailableReason {
                reasons.append(reason)
                continue
            }
            let target = Target(
                providerIndex: index, providerName: provider.spec.name, providerKind: provider.spec.kind,
                model: spec.model, weight: spec.weight, order: spec.order,
                deadlines: spec.deadlines.applied(to: provider.spec.deadlines.applied(to: server.deadlines)),
                defaultParams: spec.defaultParams, mockResponse: spec.mockResponse ?? provider.spec.mockResponse,
                label: "\(provider.spec.name)/\(spec.model)", id: spec.id,
                inputCostPerToken: spec.inputCostPerToken, outputCostPerToken: spec.outputCostPerToken, api: spec.api)
            targets.append((target, spec.rpm, spec.tpm))
        }
        let reason = targets.isEmpty ? "model '\(model.name)' is not available: \(reasons.first ?? "it has no targets")" : nil
        let cooldown = model.allowedFails.map { (allowedFails: $0, duration: Double(model.cooldown.milliseconds) / 1000) }
        return CompiledModel(name: model.name, strategy: model.routing, targets: targets, unavailableReason: reason, cooldown: cooldown)
    }

    /// The wildcard model (`openai/*`) serving a name no model has exactly.
    func wildcardModel(for name: String) -> Int? {
        for wildcard in wildcards where name.count >= wildcard.prefix.count + wildcard.suffix.count
            && name.hasPrefix(wildcard.prefix) && name.hasSuffix(wildcard.suffix)
        {
            return wildcard.index
        }
        return nil
    }

    /// Chooses the target for a model name by its routing strategy alone (no pipeline): what
    /// embeddings use.
    /// - Throws: 404 `model_not_found` for an unknown model; 503 when its providers are unavailable.
    public func route(model name: String) throws(GatewayError) -> Target {
        guard let index = modelIndex[name] ?? wildcardModel(for: name) else {
            throw Self.modelNotFound(name)
        }
        guard case .deployments(let model) = models[index] else {
            throw GatewayError(.invalidRequest, status: 400, message: "model '\(name)' is a pipeline", param: "model")
        }
        guard !model.targets.isEmpty else {
            throw GatewayError(.modelUnavailable, status: 503, message: model.unavailableReason ?? "model is not available", param: "model")
        }
        var generator = SystemRandomNumberGenerator()
        return model.pick(using: &generator)
    }

    static func modelNotFound(_ name: String) -> GatewayError {
        GatewayError(
            .modelNotFound, status: 404,
            message: "The model '\(name)' does not exist. GET /v1/models lists the models this gateway serves.",
            param: "model")
    }

    /// Pipeline names, in file order.
    public var pipelineNames: [String] { table.pipelines.map(\.name) }
}
