/// Teams (`LiteLLM_TeamTable`) and internal users (`LiteLLM_UserTable`): their budgets and limits
/// are columns of their own rows.
extension LiteLLMStore {
    static let teamSelect = """
        SELECT team_id, team_alias, \(list("models")) AS models, max_budget, budget_duration,
          \(seconds("budget_reset_at")) AS budget_reset_at, spend, rpm_limit, tpm_limit, max_parallel_requests, blocked,
          metadata::text AS metadata, COALESCE(\(seconds("created_at")), 0) AS created_at, COALESCE(\(seconds("updated_at")), 0) AS updated_at
        FROM "LiteLLM_TeamTable"
        """

    public func team(id: String) async throws -> TeamRecord? {
        try await database.query("\(Self.teamSelect) WHERE team_id = $1", .text(id)).first.map(StoreRows.team)
    }

    public func teams() async throws -> [TeamRecord] {
        try await database.query("\(Self.teamSelect) ORDER BY created_at, team_id").map(StoreRows.team)
    }

    /// As LiteLLM's `/team/new`: no admins or members yet (`members_with_roles` is a JSON list).
    public func insert(_ team: TeamRecord) async throws {
        try JSONColumn.checkText([team.teamID, team.alias])
        try await database.query(
            """
            INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, models, max_budget, budget_duration, budget_reset_at, spend,
              rpm_limit, tpm_limit, max_parallel_requests, blocked, metadata, created_at, updated_at, admins, members, members_with_roles)
            VALUES ($1::text, $2::text, \(Self.array("$3")), $4::float8, $5::text, \(Self.timestamp("$6")), $7::float8, $8::int8, $9::int8,
              $10::int8, \(Self.boolean("$11")), $12::jsonb, \(Self.timestamp("$13")), \(Self.timestamp("$14")), '{}', '{}', '[]'::jsonb)
            """, StoreValues.insert(team))
    }

    public func update(_ team: TeamRecord) async throws {
        try JSONColumn.checkText([team.alias])
        try await database.query(
            """
            UPDATE "LiteLLM_TeamTable" SET team_alias = $2::text, models = \(Self.array("$3")), max_budget = $4::float8,
              budget_duration = $5::text, budget_reset_at = \(Self.timestamp("$6")), rpm_limit = $7::int8, tpm_limit = $8::int8,
              max_parallel_requests = $9::int8, blocked = \(Self.boolean("$10")), metadata = $11::jsonb, updated_at = \(Self.timestamp("$12"))
            WHERE team_id = $1::text
            """, StoreValues.update(team))
    }

    public func deleteTeams(ids: [String]) async throws -> [String] {
        try await database.delete(from: "\"LiteLLM_TeamTable\"", column: "team_id", ids: ids)
    }

    static let userSelect = """
        SELECT user_id, user_email, user_role, \(list("models")) AS models, max_budget, budget_duration,
          \(seconds("budget_reset_at")) AS budget_reset_at, spend, rpm_limit, tpm_limit, max_parallel_requests, metadata::text AS metadata,
          COALESCE(\(seconds("created_at")), 0) AS created_at, COALESCE(\(seconds("updated_at")), 0) AS updated_at
        FROM "LiteLLM_UserTable"
        """

    public func user(id: String) async throws -> UserRecord? {
        try await database.query("\(Self.userSelect) WHERE user_id = $1", .text(id)).first.map(StoreRows.user)
    }

    public func insert(_ user: UserRecord) async throws {
        try JSONColumn.checkText([user.userID, user.email, user.role])
        try await database.query(
            """
            INSERT INTO "LiteLLM_UserTable" (user_id, user_email, user_role, models, max_budget, budget_duration, budget_reset_at, spend,
              rpm_limit, tpm_limit, max_parallel_requests, metadata, created_at, updated_at)
            VALUES ($1::text, $2::text, $3::text, \(Self.array("$4")), $5::float8, $6::text, \(Self.timestamp("$7")), $8::float8, $9::int8,
              $10::int8, $11::int8, $12::jsonb, \(Self.timestamp("$13")), \(Self.timestamp("$14")))
            """, StoreValues.insert(user))
    }

    public func update(_ user: UserRecord) async throws {
        try JSONColumn.checkText([user.email, user.role])
        try await database.query(
            """
            UPDATE "LiteLLM_UserTable" SET user_email = $2::text, user_role = $3::text, models = \(Self.array("$4")), max_budget = $5::float8,
              budget_duration = $6::text, budget_reset_at = \(Self.timestamp("$7")), rpm_limit = $8::int8, tpm_limit = $9::int8,
              max_parallel_requests = $10::int8, metadata = $11::jsonb, updated_at = \(Self.timestamp("$12"))
            WHERE user_id = $1::text
            """, StoreValues.update(user))
    }

    public func deleteUsers(ids: [String]) async throws -> [String] {
        try await database.delete(from: "\"LiteLLM_UserTable\"", column: "user_id", ids: ids)
    }
}
