/// Keys: `LiteLLM_VerificationToken`, with LiteLLM's budget tiers (`LiteLLM_BudgetTable`, by
/// `budget_id`) filling the budget and rate limits a key leaves unset, as LiteLLM's own key view does.
extension LiteLLMStore {
    static let keySelect = """
        SELECT v.token, v.key_name, v.key_alias, v.team_id, v.user_id, \(list("v.models")) AS models,
          COALESCE(v.max_budget, b.max_budget) AS max_budget, v.budget_duration, \(seconds("v.budget_reset_at")) AS budget_reset_at,
          v.spend, COALESCE(v.rpm_limit, b.rpm_limit) AS rpm_limit, COALESCE(v.tpm_limit, b.tpm_limit) AS tpm_limit,
          v.max_parallel_requests, \(seconds("v.expires")) AS expires, COALESCE(v.blocked, false) AS blocked,
          v.metadata::text AS metadata, v.aliases::text AS aliases,
          COALESCE(\(seconds("v.created_at")), 0) AS created_at, COALESCE(\(seconds("v.updated_at")), 0) AS updated_at
        FROM "LiteLLM_VerificationToken" v LEFT JOIN "LiteLLM_BudgetTable" b ON b.budget_id = v.budget_id
        """

    public func key(token: String) async throws -> KeyRecord? {
        try await database.query("\(Self.keySelect) WHERE v.token = $1", .text(token)).first.map(StoreRows.key)
    }

    public func keys(_ filter: KeyFilter) async throws -> (keys: [KeyRecord], total: Int) {
        let (whereClause, binds) = filter.whereClause(prefix: "v.")
        let total = try await database.query("SELECT COUNT(*) AS n FROM \"LiteLLM_VerificationToken\" v" + whereClause, binds).first?["n"].int ?? 0
        let rows = try await database.query(
            "\(Self.keySelect)\(whereClause) ORDER BY v.created_at, v.token\(filter.pageClause)", binds)
        return (rows.map(StoreRows.key), total)
    }

    /// Fills the columns LiteLLM's `/key/generate` fills; the rest take the schema's defaults.
    /// LiteLLM has no unique index on `key_alias`, so uniqueness is checked here, under a lock.
    public func insert(_ key: KeyRecord) async throws {
        try JSONColumn.checkText([key.alias, key.teamID, key.userID])
        let binds = StoreValues.insert(key) + [.text(Self.admin)]
        let inserted = try await database.transaction { tx in
            try await Self.lockAlias(key.alias, tx)
            return try await tx.query(
                """
                INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, team_id, user_id, models, max_budget, budget_duration,
                  budget_reset_at, spend, rpm_limit, tpm_limit, max_parallel_requests, expires, blocked, metadata, aliases,
                  created_at, updated_at, created_by, updated_by)
                SELECT $1::text, $2::text, $3::text, $4::text, $5::text, \(Self.array("$6")), $7::float8, $8::text,
                  \(Self.timestamp("$9")), $10::float8, $11::int8, $12::int8, $13::int8, \(Self.timestamp("$14")), \(Self.boolean("$15")),
                  $16::jsonb, $17::jsonb, \(Self.timestamp("$18")), \(Self.timestamp("$19")), $20::text, $20::text
                WHERE $3::text IS NULL OR NOT EXISTS (SELECT 1 FROM "LiteLLM_VerificationToken" WHERE key_alias = $3::text)
                RETURNING token
                """, binds)
        }
        if inserted.isEmpty { throw StoreError(.conflict, "a key with that alias exists already") }
    }

    /// Budget and limits a key inherits from its budget tier stay inherited: a value equal to the
    /// tier's, on a key that had none of its own, is written back as NULL.
    private static func inherited(_ column: String, _ parameter: String) -> String {
        """
        \(column) = CASE WHEN v.\(column) IS NULL AND \(parameter) IS NOT DISTINCT FROM
          (SELECT \(column) FROM "LiteLLM_BudgetTable" WHERE budget_id = v.budget_id) THEN NULL ELSE \(parameter) END
        """
    }

    /// Serialises writers of one alias (across replicas), so the uniqueness checks hold.
    private static func lockAlias(_ alias: String?, _ tx: any SQLExecutor) async throws {
        guard let alias else { return }
        try await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", .text("litellm key alias " + alias))
    }

    /// - Throws: `StoreError.conflict` when another key has the new alias.
    public func update(_ key: KeyRecord) async throws {
        try JSONColumn.checkText([key.alias, key.teamID, key.userID])
        try await database.transaction { tx in
            try await Self.lockAlias(key.alias, tx)
            if let alias = key.alias, try await !tx.query(
                "SELECT 1 FROM \"LiteLLM_VerificationToken\" WHERE key_alias = $1 AND token <> $2", .text(alias), .text(key.token)
            ).isEmpty {
                throw StoreError(.conflict, "a key with that alias exists already")
            }
            try await tx.query(
                """
                UPDATE "LiteLLM_VerificationToken" v SET key_alias = $2::text, team_id = $3::text, user_id = $4::text,
                  models = \(Self.array("$5")), \(Self.inherited("max_budget", "$6::float8")), budget_duration = $7::text,
                  budget_reset_at = \(Self.timestamp("$8")), \(Self.inherited("rpm_limit", "$9::int8")), \(Self.inherited("tpm_limit", "$10::int8")),
                  max_parallel_requests = $11::int8, expires = \(Self.timestamp("$12")), blocked = \(Self.boolean("$13")), metadata = $14::jsonb,
                  aliases = $15::jsonb, updated_at = \(Self.timestamp("$16")), key_name = $17::text, updated_by = $18::text
                WHERE v.token = $1::text
                """, StoreValues.update(key) + [.text(Self.admin)])
        }
    }

    public func deleteKeys(tokens: [String]) async throws -> [String] {
        try await database.delete(from: "\"LiteLLM_VerificationToken\"", column: "token", ids: tokens)
    }
}
