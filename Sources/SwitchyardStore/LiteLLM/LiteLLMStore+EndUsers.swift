/// End users (`LiteLLM_EndUserTable`, LiteLLM's customers): their budget and limits live in a
/// `LiteLLM_BudgetTable` row linked by `budget_id`, as LiteLLM's `/customer/new` writes them.
extension LiteLLMStore {
    static let endUserSelect = """
        SELECT e.user_id, b.max_budget, b.budget_duration, \(seconds("b.budget_reset_at")) AS budget_reset_at, e.spend, b.rpm_limit,
          b.tpm_limit, b.max_parallel_requests, e.blocked
        FROM "LiteLLM_EndUserTable" e LEFT JOIN "LiteLLM_BudgetTable" b ON b.budget_id = e.budget_id
        """

    public func endUser(id: String) async throws -> EndUserRecord? {
        try await database.query("\(Self.endUserSelect) WHERE e.user_id = $1", .text(id)).first.map(StoreRows.endUser)
    }

    public func insert(_ endUser: EndUserRecord) async throws {
        try JSONColumn.checkText([endUser.userID])
        try await database.transaction { tx in
            let budget = try await Self.insertBudget(endUser.limits, tx)
            try await tx.query(
                "INSERT INTO \"LiteLLM_EndUserTable\" (user_id, spend, blocked, budget_id) VALUES ($1::text, $2::float8, \(Self.boolean("$3")), $4::text)",
                .text(endUser.userID), .double(endUser.limits.spend), SQLValue(endUser.blocked), SQLValue(budget))
        }
    }

    /// Updates the end user's budget row in place when no other row shares it (a LiteLLM budget
    /// tier can serve many customers and keys); otherwise links the end user to a new one.
    public func update(_ endUser: EndUserRecord) async throws {
        try await database.transaction { tx in
            let current = try await tx.query(
                "SELECT budget_id FROM \"LiteLLM_EndUserTable\" WHERE user_id = $1 FOR UPDATE", .text(endUser.userID)
            ).first?["budget_id"].text
            var budget = current
            let shared = if let current { try await Self.isShared(budget: current, tx) } else { true }
            if let current, !shared {
                try await tx.query(
                    """
                    UPDATE "LiteLLM_BudgetTable" SET max_budget = $2::float8, budget_duration = $3::text, budget_reset_at = \(Self.timestamp("$4")),
                      rpm_limit = $5::int8, tpm_limit = $6::int8, max_parallel_requests = $7::int8,
                      updated_at = (now() AT TIME ZONE 'UTC'), updated_by = $8::text
                    WHERE budget_id = $1::text
                    """,
                    [.text(current)] + Self.budgetValues(endUser.limits) + [.text(Self.admin)])
            } else {
                budget = try await Self.insertBudget(endUser.limits, tx)
            }
            try await tx.query(
                "UPDATE \"LiteLLM_EndUserTable\" SET blocked = \(Self.boolean("$2")), budget_id = $3::text WHERE user_id = $1::text",
                .text(endUser.userID), SQLValue(endUser.blocked), SQLValue(budget))
        }
    }

    public func deleteEndUsers(ids: [String]) async throws -> [String] {
        try await database.delete(from: "\"LiteLLM_EndUserTable\"", column: "user_id", ids: ids)
    }

    private static func budgetValues(_ limits: BudgetLimits) -> [SQLValue] {
        [
            SQLValue(limits.maxBudget), SQLValue(limits.budgetDuration), SQLValue(limits.budgetResetAt), SQLValue(limits.rpm),
            SQLValue(limits.tpm), SQLValue(limits.maxParallel),
        ]
    }

    /// A new budget row for `limits`; nil (no row) when they set nothing.
    private static func insertBudget(_ limits: BudgetLimits, _ tx: any SQLExecutor) async throws -> String? {
        guard limits.maxBudget != nil || limits.budgetDuration != nil || limits.rpm != nil || limits.tpm != nil || limits.maxParallel != nil
        else { return nil }
        return try await tx.query(
            """
            INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, budget_duration, budget_reset_at, rpm_limit, tpm_limit,
              max_parallel_requests, created_by, updated_by)
            VALUES (gen_random_uuid()::text, $1::float8, $2::text, \(timestamp("$3")), $4::int8, $5::int8, $6::int8, $7::text, $7::text)
            RETURNING budget_id
            """, budgetValues(limits) + [.text(admin)]
        ).first?["budget_id"].text
    }

    private static func isShared(budget: String, _ tx: any SQLExecutor) async throws -> Bool {
        let uses = try await tx.query(
            """
            SELECT (SELECT COUNT(*) FROM "LiteLLM_EndUserTable" WHERE budget_id = $1)
              + (SELECT COUNT(*) FROM "LiteLLM_VerificationToken" WHERE budget_id = $1)
              + (SELECT COUNT(*) FROM "LiteLLM_TeamMembership" WHERE budget_id = $1) AS n
            """, .text(budget)
        ).first?["n"].int ?? 0
        return uses > 1
    }
}
