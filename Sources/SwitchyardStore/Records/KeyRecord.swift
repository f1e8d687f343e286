public import SwitchyardCore

/// A virtual key as stored: never the key itself, only its SHA-256 hex (`token`), the same
/// hash LiteLLM stores, so keys can move between the two.
public struct KeyRecord: Sendable, Equatable {
    /// SHA-256 hex of the whole key (`sk-…`).
    public var token: String
    /// What may be shown: `sk-…` and the last four characters.
    public var keyName: String
    public var alias: String?
    public var teamID: String?
    public var userID: String?
    /// Allowed models: names, globs (`gpt-4*`), `all-team-models`; empty allows every model.
    public var models: [String] = []
    public var limits = BudgetLimits()
    /// Seconds since 1970 after which the key stops working; nil never expires.
    public var expires: Double?
    public var blocked = false
    public var metadata = JSONObject()
    /// Model aliases: a requested name → the model it stands for.
    public var aliases: [String: String] = [:]
    public var createdAt: Double = 0
    public var updatedAt: Double = 0

    public init(token: String, keyName: String) {
        self.token = token
        self.keyName = keyName
    }

    public func isExpired(at now: Double) -> Bool {
        expires.map { $0 <= now } ?? false
    }
}
