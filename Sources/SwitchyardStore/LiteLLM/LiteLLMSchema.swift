/// The part of LiteLLM's PostgreSQL schema Switchyard reads and writes, and the check that a
/// database has it. Switchyard never creates or alters these tables: LiteLLM's own migrations
/// (the `litellm-proxy-extras` package) own them.
struct LiteLLMSchema: Sendable {
    /// Tested against the migrations of this release of `litellm-proxy-extras`.
    static let testedRelease = "litellm-proxy-extras 0.4.110"
    /// The newest LiteLLM migration whose columns are required.
    static let oldestMigration = "20260106155622_add_endpoint_to_daily_activity_tables"

    static let dailyColumns = [
        "date", "api_key", "model", "model_group", "custom_llm_provider", "mcp_namespaced_tool_name", "endpoint",
        "prompt_tokens", "completion_tokens", "spend", "api_requests", "successful_requests", "failed_requests", "updated_at",
    ]

    /// Table → columns that must exist.
    static let required: [(table: String, columns: [String])] = [
        ("LiteLLM_VerificationToken", [
            "token", "key_name", "key_alias", "spend", "expires", "models", "aliases", "user_id", "team_id", "max_parallel_requests",
            "metadata", "blocked", "tpm_limit", "rpm_limit", "max_budget", "budget_duration", "budget_reset_at", "budget_id",
            "created_at", "created_by", "updated_at", "updated_by",
        ]),
        ("LiteLLM_TeamTable", [
            "team_id", "team_alias", "metadata", "max_budget", "spend", "models", "max_parallel_requests", "tpm_limit", "rpm_limit",
            "budget_duration", "budget_reset_at", "blocked", "created_at", "updated_at", "members_with_roles",
        ]),
        ("LiteLLM_UserTable", [
            "user_id", "user_email", "user_role", "max_budget", "spend", "models", "metadata", "max_parallel_requests", "tpm_limit",
            "rpm_limit", "budget_duration", "budget_reset_at", "created_at", "updated_at",
        ]),
        ("LiteLLM_EndUserTable", ["user_id", "spend", "budget_id", "blocked"]),
        ("LiteLLM_BudgetTable", [
            "budget_id", "max_budget", "max_parallel_requests", "tpm_limit", "rpm_limit", "budget_duration", "budget_reset_at",
            "created_at", "created_by", "updated_at", "updated_by",
        ]),
        ("LiteLLM_TeamMembership", ["user_id", "team_id", "spend", "budget_id"]),
        ("LiteLLM_SpendLogs", [
            "request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens", "completion_tokens", "startTime", "endTime",
            "request_duration_ms", "model", "model_group", "custom_llm_provider", "user", "metadata", "team_id", "end_user", "status",
        ]),
        ("LiteLLM_DailyUserSpend", ["user_id"] + dailyColumns),
        ("LiteLLM_DailyTeamSpend", ["team_id"] + dailyColumns),
        ("LiteLLM_DailyEndUserSpend", ["end_user_id"] + dailyColumns),
    ]

    /// Columns newer LiteLLM releases added; written when present.
    var keyTotalSpend = false
    var keyLastActive = false
    var membershipTotalSpend = false
    var dailyTiming = false

    /// Reads `information_schema` and refuses a database that lacks a required table or column,
    /// naming it. Changes nothing.
    /// - Throws: `StoreError.migrationFailed` naming what is missing and the supported versions.
    static func check(_ database: any SQLExecutor) async throws -> LiteLLMSchema {
        let rows = try await database.query(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name LIKE 'LiteLLM\\_%'
            """)
        var columns: [String: Set<String>] = [:]
        for row in rows {
            guard let table = row["table_name"].text, let column = row["column_name"].text else { continue }
            columns[table, default: []].insert(column)
        }
        var missing: [String] = []
        for (table, wanted) in required {
            guard let present = columns[table] else {
                missing.append("table \(table)")
                continue
            }
            missing += wanted.filter { !present.contains($0) }.map { "column \(table).\($0)" }
        }
        guard missing.isEmpty else {
            throw StoreError(
                .migrationFailed,
                "this LiteLLM database lacks \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? " and \(missing.count - 5) more" : ""): "
                    + "it is older than Switchyard supports (LiteLLM migrations up to \(oldestMigration); tested with \(testedRelease)). "
                    + "Upgrade it by starting a current LiteLLM proxy on it once; Switchyard never changes LiteLLM's schema")
        }
        var schema = LiteLLMSchema()
        schema.keyTotalSpend = columns["LiteLLM_VerificationToken"]?.contains("total_spend") ?? false
        schema.keyLastActive = columns["LiteLLM_VerificationToken"]?.contains("last_active") ?? false
        schema.membershipTotalSpend = columns["LiteLLM_TeamMembership"]?.contains("total_spend") ?? false
        schema.dailyTiming = ["LiteLLM_DailyUserSpend", "LiteLLM_DailyTeamSpend", "LiteLLM_DailyEndUserSpend"].allSatisfy {
            columns[$0]?.isSuperset(of: ["total_response_time_ms", "timed_requests"]) ?? false
        }
        return schema
    }

    /// Whether `database` holds LiteLLM's tables (for `schema: auto`).
    static func isPresent(_ database: any SQLExecutor) async throws -> Bool {
        let rows = try await database.query("SELECT to_regclass('\"LiteLLM_VerificationToken\"')::text AS name")
        return rows.first?["name"].text != nil
    }
}
