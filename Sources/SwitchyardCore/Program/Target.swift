/// One resolved deployment: which provider to call, with which upstream model name and settings.
/// Built once at startup and shared by every request routed to it (a reference, so handing it
/// to an adapter or a result costs one retain).
public final class Target: Sendable {
    /// Index of the provider in `GatewayProgram.providers`.
    public let providerIndex: Int
    public let providerName: String
    public let providerKind: ProviderKind
    /// The model name sent upstream.
    public let model: String
    public let weight: Double
    public let order: Int
    /// Connect, headers, idle and total deadlines, resolved from the target, provider and server.
    public let deadlines: UpstreamDeadlines
    /// Parameters applied when the client did not set them.
    public let defaultParams: JSONObject
    public let mockResponse: String?
    /// `provider/model`, as shown in headers, logs and `explain`.
    public let label: String
    /// The deployment's id (LiteLLM's `model_info.id`; `x-litellm-model-id`), when configured.
    public let id: String?
    /// USD per prompt / completion token from the config; nil uses the price table.
    public let inputCostPerToken: Double?
    public let outputCostPerToken: Double?
    /// The OpenAI API the deployment is called through (OpenAI-kind and Azure adapters).
    public let api: UpstreamAPI

    public init(
        providerIndex: Int, providerName: String, providerKind: ProviderKind, model: String, weight: Double, order: Int,
        deadlines: UpstreamDeadlines, defaultParams: JSONObject, mockResponse: String?, label: String, id: String? = nil,
        inputCostPerToken: Double? = nil, outputCostPerToken: Double? = nil, api: UpstreamAPI = .chat
    ) {
        self.id = id
        self.api = api
        self.inputCostPerToken = inputCostPerToken
        self.outputCostPerToken = outputCostPerToken
        self.providerIndex = providerIndex
        self.providerName = providerName
        self.providerKind = providerKind
        self.model = model
        self.weight = weight
        self.order = order
        self.deadlines = deadlines
        self.defaultParams = defaultParams
        self.mockResponse = mockResponse
        self.label = label
    }
}

/// A provider as compiled: its settings and, when it cannot serve, why.
public struct CompiledProvider: Sendable {
    public var index: Int
    public var spec: ProviderSpec
    /// Set when the provider cannot be used (its key variable is unset); safe to show clients.
    public var unavailableReason: String?
}
