/// An end user: the `user` field of a request (LiteLLM's customers), with a budget of its own.
public struct EndUserRecord: Sendable, Equatable {
    public var userID: String
    public var limits = BudgetLimits()
    public var blocked = false
    public var createdAt: Double = 0
    public var updatedAt: Double = 0

    public init(userID: String) {
        self.userID = userID
    }
}
