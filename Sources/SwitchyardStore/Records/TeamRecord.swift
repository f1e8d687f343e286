public import SwitchyardCore

/// A team: its keys share its budget and limits (a key's effective limit is the tighter one).
public struct TeamRecord: Sendable, Equatable {
    public var teamID: String
    public var alias: String?
    /// Models the team's keys may use; empty allows every model.
    public var models: [String] = []
    public var limits = BudgetLimits()
    public var blocked = false
    public var metadata = JSONObject()
    public var createdAt: Double = 0
    public var updatedAt: Double = 0

    public init(teamID: String) {
        self.teamID = teamID
    }
}
