/// The values stores bind when they write a record, in the column order their statements list:
/// one place that turns a record into SQL values, whichever schema holds it.
enum StoreValues {
    /// Every column, in insert order.
    static func insert(_ key: KeyRecord) -> [SQLValue] {
        [
            .text(key.token), .text(key.keyName), SQLValue(key.alias), SQLValue(key.teamID), SQLValue(key.userID),
            .text(JSONColumn.text(list: key.models)), SQLValue(key.limits.maxBudget), SQLValue(key.limits.budgetDuration),
            SQLValue(key.limits.budgetResetAt), .double(key.limits.spend), SQLValue(key.limits.rpm), SQLValue(key.limits.tpm),
            SQLValue(key.limits.maxParallel), SQLValue(key.expires), SQLValue(key.blocked), .text(JSONColumn.text(key.metadata)),
            .text(JSONColumn.text(map: key.aliases)), .double(key.createdAt), .double(key.updatedAt),
        ]
    }

    /// The id first, then what an update writes (never spend or created_at).
    static func update(_ key: KeyRecord) -> [SQLValue] {
        [
            .text(key.token), SQLValue(key.alias), SQLValue(key.teamID), SQLValue(key.userID), .text(JSONColumn.text(list: key.models)),
            SQLValue(key.limits.maxBudget), SQLValue(key.limits.budgetDuration), SQLValue(key.limits.budgetResetAt),
            SQLValue(key.limits.rpm), SQLValue(key.limits.tpm), SQLValue(key.limits.maxParallel), SQLValue(key.expires),
            SQLValue(key.blocked), .text(JSONColumn.text(key.metadata)), .text(JSONColumn.text(map: key.aliases)), .double(key.updatedAt),
            .text(key.keyName),
        ]
    }

    /// Every column, in insert order.
    static func insert(_ team: TeamRecord) -> [SQLValue] {
        [
            .text(team.teamID), SQLValue(team.alias), .text(JSONColumn.text(list: team.models)), SQLValue(team.limits.maxBudget),
            SQLValue(team.limits.budgetDuration), SQLValue(team.limits.budgetResetAt), .double(team.limits.spend),
            SQLValue(team.limits.rpm), SQLValue(team.limits.tpm), SQLValue(team.limits.maxParallel), SQLValue(team.blocked),
            .text(JSONColumn.text(team.metadata)), .double(team.createdAt), .double(team.updatedAt),
        ]
    }

    /// The id first, then what an update writes (never spend or created_at).
    static func update(_ team: TeamRecord) -> [SQLValue] {
        [
            .text(team.teamID), SQLValue(team.alias), .text(JSONColumn.text(list: team.models)), SQLValue(team.limits.maxBudget),
            SQLValue(team.limits.budgetDuration), SQLValue(team.limits.budgetResetAt), SQLValue(team.limits.rpm),
            SQLValue(team.limits.tpm), SQLValue(team.limits.maxParallel), SQLValue(team.blocked), .text(JSONColumn.text(team.metadata)),
            .double(team.updatedAt),
        ]
    }

    /// Every column, in insert order.
    static func insert(_ user: UserRecord) -> [SQLValue] {
        [
            .text(user.userID), SQLValue(user.email), SQLValue(user.role), .text(JSONColumn.text(list: user.models)),
            SQLValue(user.limits.maxBudget), SQLValue(user.limits.budgetDuration), SQLValue(user.limits.budgetResetAt),
            .double(user.limits.spend), SQLValue(user.limits.rpm), SQLValue(user.limits.tpm), SQLValue(user.limits.maxParallel),
            .text(JSONColumn.text(user.metadata)), .double(user.createdAt), .double(user.updatedAt),
        ]
    }

    /// The id first, then what an update writes (never spend or created_at).
    static func update(_ user: UserRecord) -> [SQLValue] {
        [
            .text(user.userID), SQLValue(user.email), SQLValue(user.role), .text(JSONColumn.text(list: user.models)),
            SQLValue(user.limits.maxBudget), SQLValue(user.limits.budgetDuration), SQLValue(user.limits.budgetResetAt),
            SQLValue(user.limits.rpm), SQLValue(user.limits.tpm), SQLValue(user.limits.maxParallel), .text(JSONColumn.text(user.metadata)),
            .double(user.updatedAt),
        ]
    }
}
