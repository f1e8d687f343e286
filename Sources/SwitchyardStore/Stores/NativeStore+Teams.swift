/// Teams, internal users and end users.
extension NativeStore {
    static let teamColumns = """
        team_id, team_alias, models, max_budget, budget_duration, budget_reset_at, spend, rpm_limit, tpm_limit,
        max_parallel_requests, blocked, metadata, created_at, updated_at
        """

    public func team(id: String) async throws -> TeamRecord? {
        try await database.query("SELECT \(Self.teamColumns) FROM sy_teams WHERE team_id = $1", .text(id)).first.map(StoreRows.team)
    }

    public func teams() async throws -> [TeamRecord] {
        try await database.query("SELECT \(Self.teamColumns) FROM sy_teams ORDER BY created_at, team_id").map(StoreRows.team)
    }

    public func insert(_ team: TeamRecord) async throws {
        try JSONColumn.checkText([team.teamID, team.alias])
        try await database.query(
            "INSERT INTO sy_teams (\(Self.teamColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            StoreValues.insert(team))
    }

    public func update(_ team: TeamRecord) async throws {
        try JSONColumn.checkText([team.alias])
        try await database.query(
            """
            UPDATE sy_teams SET team_alias = $2, models = $3, max_budget = $4, budget_duration = $5, budget_reset_at = $6,
              rpm_limit = $7, tpm_limit = $8, max_parallel_requests = $9, blocked = $10, metadata = $11, updated_at = $12
            WHERE team_id = $1
            """, StoreValues.update(team))
    }

    public func deleteTeams(ids: [String]) async throws -> [String] {
        try await database.delete(from: "sy_teams", column: "team_id", ids: ids)
    }

    static let userColumns = """
        user_id, user_email, user_role, models, max_budget, budget_duration, budget_reset_at, spend, rpm_limit, tpm_limit,
        max_parallel_requests, metadata, created_at, updated_at
        """

    public func user(id: String) async throws -> UserRecord? {
        try await database.query("SELECT \(Self.userColumns) FROM sy_users WHERE user_id = $1", .text(id)).first.map(StoreRows.user)
    }

    public func insert(_ user: UserRecord) async throws {
        try JSONColumn.checkText([user.userID, user.email, user.role])
        try await database.query(
            "INSERT INTO sy_users (\(Self.userColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            StoreValues.insert(user))
    }

    public func update(_ user: UserRecord) async throws {
        try JSONColumn.checkText([user.email, user.role])
        try await database.query(
            """
            UPDATE sy_users SET user_email = $2, user_role = $3, models = $4, max_budget = $5, budget_duration = $6,
              budget_reset_at = $7, rpm_limit = $8, tpm_limit = $9, max_parallel_requests = $10, metadata = $11, updated_at = $12
            WHERE user_id = $1
            """, StoreValues.update(user))
    }

    public func deleteUsers(ids: [String]) async throws -> [String] {
        try await database.delete(from: "sy_users", column: "user_id", ids: ids)
    }

    static let endUserColumns = """
        user_id, max_budget, budget_duration, budget_reset_at, spend, rpm_limit, tpm_limit, max_parallel_requests, blocked,
        created_at, updated_at
        """

    public func endUser(id: String) async throws -> EndUserRecord? {
        try await database.query("SELECT \(Self.endUserColumns) FROM sy_end_users WHERE user_id = $1", .text(id)).first.map(StoreRows.endUser)
    }

    public func insert(_ endUser: EndUserRecord) async throws {
        try JSONColumn.checkText([endUser.userID])
        try await database.query(
            "INSERT INTO sy_end_users (\(Self.endUserColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            [
                .text(endUser.userID), SQLValue(endUser.limits.maxBudget), SQLValue(endUser.limits.budgetDuration),
                SQLValue(endUser.limits.budgetResetAt), .double(endUser.limits.spend), SQLValue(endUser.limits.rpm),
                SQLValue(endUser.limits.tpm), SQLValue(endUser.limits.maxParallel), SQLValue(endUser.blocked),
                .double(endUser.createdAt), .double(endUser.updatedAt),
            ])
    }

    public func update(_ endUser: EndUserRecord) async throws {
        try await database.query(
            """
            UPDATE sy_end_users SET max_budget = $2, budget_duration = $3, budget_reset_at = $4, rpm_limit = $5, tpm_limit = $6,
              max_parallel_requests = $7, blocked = $8, updated_at = $9
            WHERE user_id = $1
            """,
            [
                .text(endUser.userID), SQLValue(endUser.limits.maxBudget), SQLValue(endUser.limits.budgetDuration),
                SQLValue(endUser.limits.budgetResetAt), SQLValue(endUser.limits.rpm), SQLValue(endUser.limits.tpm),
                SQLValue(endUser.limits.maxParallel), SQLValue(endUser.blocked), .double(endUser.updatedAt),
            ])
    }

    public func deleteEndUsers(ids: [String]) async throws -> [String] {
        try await database.delete(from: "sy_end_users", column: "user_id", ids: ids)
    }
}
