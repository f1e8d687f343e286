/// One resolved deployment: which provider to call, with which upstream model name and settings.
/// Built once at startup; a request only carries an index into the program's tables.
public struct Target: Sendable {
    /// Index of the provider in `GatewayProgram.providers`.
    public var providerIndex: Int
    public var providerName: String
    public var providerKind: ProviderKind
    /// The model name sent upstream.
    public var model: String
    public var weight: Double
    public var order: Int
    public var timeout: Duration
    /// Parameters applied when the client did not set them.
    public var defaultParams: JSONObject
    public var mockResponse: String?
    /// `provider/model`, as shown in headers, logs and `explain`.
    public var label: String
}

/// A provider as compiled: its settings and, when it cannot serve, why.
public struct CompiledProvider: Sendable {
    public var index: Int
    public var spec: ProviderSpec
    /// Set when the provider cannot be used (its key variable is unset); safe to show clients.
    public var unavailableReason: String?
}
