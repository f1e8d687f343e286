import Foundation
import Logging
import SwitchyardCore
import SwitchyardStore
import Testing

/// Spend and budget resets in LiteLLM's schema, checked with the SQL LiteLLM's own endpoints run.
@Suite("LiteLLM database: spend and budgets", .enabled(if: LiteLLMDatabase.isAvailable))
struct LiteLLMSpendTests {
    /// 2026-11-30T12:00:00Z.
    static let noon = 1_796_040_000.0

    static func log(
        _ id: String, key: String?, team: String?, user: String?, endUser: String? = nil, spend: Double, prompt: Int, completion: Int,
        status: String = "success", httpStatus: Int = 200
    ) -> SpendLogEntry {
        var entry = SpendLogEntry(
            requestID: id, callType: "chat_completion", model: "gpt-4o-2024-08-06", modelGroup: "gpt-4o", status: status,
            httpStatus: httpStatus, durationMs: 120, startTime: noon, endTime: noon + 0.12)
        entry.keyHash = key
        entry.keyAlias = key == nil ? nil : "alias-\(key!.prefix(6))"
        entry.teamID = team
        entry.userID = user
        entry.endUser = endUser
        entry.provider = "openai"
        entry.spend = spend
        entry.promptTokens = prompt
        entry.completionTokens = completion
        entry.pipelinePath = "main"
        return entry
    }

    /// A batch as the spend ledger builds it: each log's spend added to its key, team, user, end user and model.
    static func batch(_ logs: [SpendLogEntry]) -> SpendBatch {
        var batch = SpendBatch()
        for entry in logs where entry.spend > 0 {
            if let key = entry.keyHash { batch.keys[key, default: 0] += entry.spend }
            if let team = entry.teamID { batch.teams[team, default: 0] += entry.spend }
            if let user = entry.userID { batch.users[user, default: 0] += entry.spend }
            if let endUser = entry.endUser { batch.endUsers[endUser, default: 0] += entry.spend }
            batch.models[entry.modelGroup, default: 0] += entry.spend
        }
        batch.logs = logs
        return batch
    }

    /// LiteLLM's `/spend/report?api_key=` statement (`spend_management_endpoints.py`), verbatim.
    static let litellmKeyReport = """
        WITH SpendByModelApiKey AS (
            SELECT sl.api_key, sl.model, SUM(sl.spend) AS model_cost, SUM(sl.prompt_tokens) AS model_input_tokens,
                SUM(sl.completion_tokens) AS model_output_tokens
            FROM "LiteLLM_SpendLogs" sl
            WHERE sl."startTime" >= ($1::timestamptz AT TIME ZONE 'UTC')
                AND sl."startTime" <  (($2::timestamptz + INTERVAL '1 day') AT TIME ZONE 'UTC')
                AND sl.api_key = $3
            GROUP BY sl.api_key, sl.model
        )
        SELECT api_key, SUM(model_cost) AS total_cost, SUM(model_input_tokens)::int8 AS total_input_tokens,
            SUM(model_output_tokens)::int8 AS total_output_tokens
        FROM SpendByModelApiKey GROUP BY api_key ORDER BY total_cost DESC
        """

    @Test("spend lands on the key, team, membership, user and end user, in LiteLLM's spend logs and its daily tables")
    func spend() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        try await LiteLLMStoreTests.seedLiteLLMRows(database)
        try await LiteLLMStoreTests.insertLiteLLMKey("sk-team-key-1", alias: "a", database)
        try await LiteLLMStoreTests.insertLiteLLMKey("sk-lone-key-2", alias: "b", database, team: nil, user: nil)
        let a = StoreTests.sha256sum("sk-team-key-1"), b = StoreTests.sha256sum("sk-lone-key-2")
        let store = try await StoreFactory.open(url: url, logger: Logger(label: "test"))
        defer { Task { await store.close() } }

        try await store.record(Self.batch([
            Self.log("r1", key: a, team: "team-1", user: "user-1", endUser: "cust-1", spend: 0.5, prompt: 100, completion: 50),
            Self.log("r2", key: a, team: "team-1", user: "user-1", spend: 0, prompt: 0, completion: 0, status: "failure", httpStatus: 502),
            Self.log("r3", key: b, team: nil, user: nil, spend: 0.25, prompt: 10, completion: 5),
        ]))
        try await store.record(Self.batch([
            Self.log("r4", key: a, team: "team-1", user: "user-1", endUser: "cust-1", spend: 0.125, prompt: 20, completion: 10),
        ]))

        // Increments (the key of LiteLLM's seed had 1.25 already).
        func number(_ sql: String) async throws -> Double? { try await database.query(sql).first?["n"].double }
        #expect(try await number("SELECT spend AS n FROM \"LiteLLM_VerificationToken\" WHERE token = '\(a)'") == 1.875)
        #expect(try await number("SELECT total_spend AS n FROM \"LiteLLM_VerificationToken\" WHERE token = '\(a)'") == 0.625)
        #expect(try await number("SELECT COUNT(*) AS n FROM \"LiteLLM_VerificationToken\" WHERE token = '\(a)' AND last_active IS NOT NULL") == 1)
        #expect(try await number("SELECT spend AS n FROM \"LiteLLM_VerificationToken\" WHERE token = '\(b)'") == 1.5)
        #expect(try await number("SELECT spend AS n FROM \"LiteLLM_TeamTable\" WHERE team_id = 'team-1'") == 0.625)
        #expect(try await number("SELECT spend AS n FROM \"LiteLLM_UserTable\" WHERE user_id = 'user-1'") == 0.625)
        #expect(try await number("SELECT spend AS n FROM \"LiteLLM_EndUserTable\" WHERE user_id = 'cust-1'") == 0.625)
        #expect(try await number("SELECT spend AS n FROM \"LiteLLM_TeamMembership\" WHERE user_id = 'user-1' AND team_id = 'team-1'") == 0.625)

        // Spend-log rows as LiteLLM writes them.
        let rows = try await database.query(
            """
            SELECT request_id, call_type, api_key, "user", team_id, end_user, status, spend, total_tokens, request_duration_ms, model,
              model_group, custom_llm_provider, metadata->>'user_api_key_alias' AS alias, to_char("startTime", 'YYYY-MM-DD HH24:MI:SS') AS start
            FROM "LiteLLM_SpendLogs" ORDER BY request_id
            """)
        #expect(rows.map { $0["request_id"].text } == ["r1", "r2", "r3", "r4"])
        #expect(rows.allSatisfy { $0["call_type"].text == "acompletion" && $0["start"].text == "2026-11-30 12:00:00" })
        #expect(rows[0]["api_key"].text == a)
        #expect(rows[0]["user"].text == "user-1")
        #expect(rows[0]["team_id"].text == "team-1")
        #expect(rows[0]["end_user"].text == "cust-1")
        #expect(rows[0]["total_tokens"].int == 150)
        #expect(rows[0]["request_duration_ms"].int == 120)
        #expect(rows[0]["model"].text == "gpt-4o-2024-08-06")
        #expect(rows[0]["model_group"].text == "gpt-4o")
        #expect(rows[0]["custom_llm_provider"].text == "openai")
        #expect(rows[0]["alias"].text == "alias-\(a.prefix(6))")
        #expect(rows[1]["status"].text == "failure")
        #expect(rows[2]["user"].text == "", "LiteLLM writes '' for a key without a user")
        #expect(rows[2]["team_id"].text == "")

        // LiteLLM's own report sums them.
        let report = try #require(try await database.query(Self.litellmKeyReport, .text("2026-11-30"), .text("2026-11-30"), .text(a)).first)
        #expect(report["total_cost"].double == 0.625)
        #expect(report["total_input_tokens"].int == 120)
        #expect(report["total_output_tokens"].int == 60)

        // Daily rollups: one row per (entity, day, key, model, provider, endpoint), counters added across flushes.
        let users = try await database.query(
            """
            SELECT user_id, api_key, spend, prompt_tokens::int8 AS p, api_requests::int8 AS n, successful_requests::int8 AS ok,
              failed_requests::int8 AS failed, endpoint, model_group, timed_requests::int8 AS timed, total_response_time_ms::int8 AS ms
            FROM "LiteLLM_DailyUserSpend" WHERE date = '2026-11-30' ORDER BY user_id
            """)
        #expect(users.count == 2)
        #expect(users[0]["user_id"].text == "" && users[0]["api_key"].text == b && users[0]["n"].int == 1)
        let member = users[1]
        #expect(member["user_id"].text == "user-1")
        #expect(member["spend"].double == 0.625)
        #expect(member["p"].int == 120)
        #expect(member["n"].int == 3)
        #expect(member["ok"].int == 2)
        #expect(member["failed"].int == 1)
        #expect(member["timed"].int == 2)
        #expect(member["ms"].int == 240)
        #expect(member["endpoint"].text == "/chat/completions")
        #expect(member["model_group"].text == "gpt-4o")
        let teams = try await database.query("SELECT team_id, spend, api_requests::int8 AS n FROM \"LiteLLM_DailyTeamSpend\"")
        #expect(teams.count == 1)
        #expect(teams.first?["team_id"].text == "team-1" && teams.first?["spend"].double == 0.625 && teams.first?["n"].int == 3)
        let customers = try await database.query("SELECT end_user_id, spend, api_requests::int8 AS n FROM \"LiteLLM_DailyEndUserSpend\"")
        #expect(customers.count == 1)
        #expect(customers.first?["end_user_id"].text == "cust-1" && customers.first?["n"].int == 2)

        // Switchyard's own views of the same rows.
        var filter = SpendLogFilter()
        filter.keyToken = a
        let logs = try await store.spendLogs(filter)
        #expect(Set(logs.map(\.requestID)) == ["r1", "r2", "r4"])
        #expect(logs.first { $0.requestID == "r2" }?.httpStatus == 502)
        #expect(logs.first { $0.requestID == "r1" }?.pipelinePath == "main")
        let byTeam = try await store.spendReport(SpendLogFilter(), groupBy: .team)
        #expect(byTeam.first { $0.group == "team-1" }?.spend == 0.625)
        #expect(byTeam.first { $0.group == nil }?.spend == 0.25)
        #expect(try await store.modelSpend().first?.model == "gpt-4o")
        #expect(try await store.modelSpend().first?.spend == 0.875)
    }

    @Test("budgets reset on budget_reset_at, and a budget tier's reset zeroes what it covers")
    func resets() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        try await LiteLLMStoreTests.seedLiteLLMRows(database)
        try await database.query(
            """
            INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, budget_duration, budget_reset_at, created_by, updated_by)
            VALUES ('tier-daily', 2, '7d', '2026-11-29 00:00:00', 'default_user_id', 'default_user_id')
            """)
        try await database.query(
            "INSERT INTO \"LiteLLM_EndUserTable\" (user_id, spend, budget_id, blocked) VALUES ('cust-1', 1.5, 'tier-daily', false)")
        try await LiteLLMStoreTests.insertLiteLLMKey("sk-reset-key-1", alias: "due", database)
        try await LiteLLMStoreTests.insertLiteLLMKey("sk-tier-key-22", alias: "tiered", database)
        try await database.query(
            """
            UPDATE "LiteLLM_VerificationToken" SET budget_reset_at = '2026-11-30 00:00:00', spend = 3 WHERE key_alias = 'due'
            """)
        try await database.query(
            "UPDATE \"LiteLLM_VerificationToken\" SET budget_duration = NULL, budget_id = 'tier-daily', spend = 1 WHERE key_alias = 'tiered'")
        try await database.query(
            "UPDATE \"LiteLLM_TeamTable\" SET budget_duration = '1mo', budget_reset_at = '2026-11-01 00:00:00', spend = 9 WHERE team_id = 'team-1'")
        let store = try await StoreFactory.open(url: url, logger: Logger(label: "test"))
        defer { Task { await store.close() } }

        let reset = try await store.resetBudgets(now: Self.noon)
        #expect(reset == 4)  // the key, the team, and the tier's end user and key
        let due = try #require(try await database.query(
            """
            SELECT spend, to_char(budget_reset_at, 'YYYY-MM-DD HH24:MI:SS') AS next FROM "LiteLLM_VerificationToken" WHERE key_alias = 'due'
            """).first)
        #expect(due["spend"].double == 0)
        #expect(due["next"].text == "2026-12-30 12:00:00")  // noon + 30d
        #expect(try await database.query("SELECT spend FROM \"LiteLLM_TeamTable\"").first?["spend"].double == 0)
        #expect(try await database.query("SELECT spend FROM \"LiteLLM_EndUserTable\"").first?["spend"].double == 0)
        #expect(try await database.query("SELECT spend FROM \"LiteLLM_VerificationToken\" WHERE key_alias = 'tiered'").first?["spend"].double == 0)
        #expect(try await database.query(
            "SELECT to_char(budget_reset_at, 'YYYY-MM-DD HH24:MI:SS') AS next FROM \"LiteLLM_BudgetTable\" WHERE budget_id = 'tier-daily'"
        ).first?["next"].text == "2026-12-07 12:00:00")
        #expect(try await store.resetBudgets(now: Self.noon) == 0, "nothing is due twice")
    }

    @Test("end-user budgets live in LiteLLM_BudgetTable; a shared tier is not changed for one customer")
    func endUserBudgets() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        let store = try await StoreFactory.open(url: url, logger: Logger(label: "test"))
        defer { Task { await store.close() } }
        var customer = EndUserRecord(userID: "cust-1")
        customer.limits.maxBudget = 3
        customer.limits.budgetDuration = "1d"
        try await store.insert(customer)
        let linked = try #require(try await database.query(
            """
            SELECT e.budget_id, b.max_budget, b.created_by FROM "LiteLLM_EndUserTable" e JOIN "LiteLLM_BudgetTable" b USING (budget_id)
            WHERE e.user_id = 'cust-1'
            """).first)
        #expect(linked["max_budget"].double == 3)
        #expect(linked["created_by"].text == "default_user_id")
        #expect(try await store.endUser(id: "cust-1")?.limits.maxBudget == 3)

        customer.limits.maxBudget = 4
        try await store.update(customer)
        #expect(try await database.query("SELECT budget_id FROM \"LiteLLM_EndUserTable\"").first?["budget_id"] == linked["budget_id"])
        #expect(try await store.endUser(id: "cust-1")?.limits.maxBudget == 4)

        // Two customers on one LiteLLM tier: changing one gives it a tier of its own.
        try await database.query("INSERT INTO \"LiteLLM_EndUserTable\" (user_id, budget_id) SELECT 'cust-2', budget_id FROM \"LiteLLM_EndUserTable\"")
        customer.limits.maxBudget = 10
        try await store.update(customer)
        #expect(try await store.endUser(id: "cust-1")?.limits.maxBudget == 10)
        #expect(try await store.endUser(id: "cust-2")?.limits.maxBudget == 4)
        customer.blocked = true
        try await store.update(customer)
        #expect(try await store.endUser(id: "cust-1")?.blocked == true)
        #expect(try await store.deleteEndUsers(ids: ["cust-1", "nobody"]) == ["cust-1"])
    }
}
