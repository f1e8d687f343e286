public import SwitchyardCore

/// An internal user (LiteLLM's `/user/new`): owns keys; `user_role: proxy_admin` makes the
/// user's keys able to call the management API.
public struct UserRecord: Sendable, Equatable {
    public var userID: String
    public var email: String?
    /// `proxy_admin` or LiteLLM's other roles (stored; only `proxy_admin` changes anything).
    public var role: String?
    public var models: [String] = []
    public var limits = BudgetLimits()
    public var metadata = JSONObject()
    public var createdAt: Double = 0
    public var updatedAt: Double = 0

    public init(userID: String) {
        self.userID = userID
    }

    public var isAdmin: Bool { role == "proxy_admin" }
}
