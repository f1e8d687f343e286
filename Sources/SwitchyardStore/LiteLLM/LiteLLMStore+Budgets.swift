/// Budget resets as LiteLLM's reset job does them: a key, team or user whose `budget_reset_at` has
/// passed gets spend 0 and its next reset; a `LiteLLM_BudgetTable` tier whose reset has passed
/// zeroes the end users and team memberships linked to it, and the linked keys that have no
/// `budget_duration` of their own.
extension LiteLLMStore {
    public func resetBudgets(now: Double) async throws -> Int {
        var reset = 0
        for (table, id) in [("LiteLLM_VerificationToken", "token"), ("LiteLLM_TeamTable", "team_id"), ("LiteLLM_UserTable", "user_id")] {
            for due in try await dueRows(table: table, id: id, now: now) {
                // Conditional on the old reset time: of two replicas resetting at once, one wins.
                let updated = try await database.query(
                    """
                    UPDATE "\(table)" SET spend = 0, budget_reset_at = \(Self.timestamp("$1"))
                    WHERE \(id) = $2 AND budget_reset_at = $3::timestamp RETURNING \(id)
                    """, due.next, .text(due.id), .text(due.resetAt))
                reset += updated.count
            }
        }
        for due in try await dueRows(table: "LiteLLM_BudgetTable", id: "budget_id", now: now) {
            reset += try await database.transaction { tx in
                let updated = try await tx.query(
                    """
                    UPDATE "LiteLLM_BudgetTable" SET budget_reset_at = \(Self.timestamp("$1")), updated_at = (now() AT TIME ZONE 'UTC')
                    WHERE budget_id = $2 AND budget_reset_at = $3::timestamp RETURNING budget_id
                    """, due.next, .text(due.id), .text(due.resetAt))
                guard !updated.isEmpty else { return 0 }
                var count = 0
                for statement in [
                    "UPDATE \"LiteLLM_EndUserTable\" SET spend = 0 WHERE budget_id = $1 AND spend > 0 RETURNING user_id",
                    "UPDATE \"LiteLLM_TeamMembership\" SET spend = 0 WHERE budget_id = $1 AND spend > 0 RETURNING user_id",
                    "UPDATE \"LiteLLM_VerificationToken\" SET spend = 0 WHERE budget_id = $1 AND budget_duration IS NULL AND spend > 0 RETURNING token",
                ] {
                    count += try await tx.query(statement, .text(due.id)).count
                }
                return count
            }
        }
        return reset
    }

    /// Rows whose period ended by `now`: id, the reset time as exact text (to match on), and the
    /// next reset (`now` + duration; NULL without a duration).
    private func dueRows(table: String, id: String, now: Double) async throws -> [(id: String, resetAt: String, next: SQLValue)] {
        try await database.query(
            """
            SELECT \(id) AS id, budget_duration, budget_reset_at::text AS reset_at FROM "\(table)"
            WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= \(Self.timestamp("$1"))
            """, .double(now)
        ).compactMap { row in
            guard let rowID = row["id"].text, let resetAt = row["reset_at"].text else { return nil }
            let next = row["budget_duration"].text.flatMap(BudgetPeriod.seconds).map { SQLValue.double(now + $0) } ?? .null
            return (rowID, resetAt, next)
        }
    }
}
