/// Spend accumulated in memory since the last flush, written in one transaction.
public struct SpendBatch: Sendable, Equatable {
    public var keys: [String: Double] = [:]
    public var teams: [String: Double] = [:]
    public var users: [String: Double] = [:]
    public var endUsers: [String: Double] = [:]
    public var models: [String: Double] = [:]
    public var logs: [SpendLogEntry] = []

    public init() {}

    public var isEmpty: Bool {
        keys.isEmpty && teams.isEmpty && users.isEmpty && endUsers.isEmpty && models.isEmpty && logs.isEmpty
    }

    /// Adds another batch (a failed flush goes back into the next one).
    public mutating func merge(_ other: SpendBatch) {
        keys.merge(other.keys, uniquingKeysWith: +)
        teams.merge(other.teams, uniquingKeysWith: +)
        users.merge(other.users, uniquingKeysWith: +)
        endUsers.merge(other.endUsers, uniquingKeysWith: +)
        models.merge(other.models, uniquingKeysWith: +)
        logs.append(contentsOf: other.logs)
    }
}
