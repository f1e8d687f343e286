import Foundation
import Logging
import SwitchyardCore
import SwitchyardStore
import Testing

/// `LiteLLMStore` against a real PostgreSQL server holding LiteLLM's real schema (every migration
/// of the pinned `litellm-proxy-extras`), with rows written and read by LiteLLM's own SQL.
@Suite("LiteLLM database (PostgreSQL with LiteLLM's schema)", .enabled(if: LiteLLMDatabase.isAvailable))
struct LiteLLMStoreTests {
    static let logger = Logger(label: "test")

    static func open(_ url: String, schema: DatabaseSettings.Schema = .auto) async throws -> any GatewayStore {
        try await StoreFactory.open(url: url, schema: schema, logger: logger)
    }

    /// Whether a table exists.
    static func exists(_ table: String, _ database: any SQLExecutor) async throws -> Bool {
        try await database.query("SELECT to_regclass($1)::text AS name", .text(table)).first?["name"].text != nil
    }

    @Test("schema auto serves LiteLLM's tables in place and creates nothing; an empty database gets Switchyard's own")
    func detection() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let store = try await Self.open(url)
        await store.close()
        #expect(store is LiteLLMStore)
        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        #expect(try await Self.exists("sy_keys", database) == false)
        #expect(try await Self.exists("sy_schema_migrations", database) == false)

        let empty = try await StoreBackend.freshPostgresDatabase()
        let native = try await Self.open(empty)
        await native.close()
        #expect(native is NativeStore)
    }

    @Test("a database lacking a table or column LiteLLM's schema has is refused, naming it, and left as it was")
    func refusal() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        try await database.query("ALTER TABLE \"LiteLLM_VerificationToken\" DROP COLUMN budget_id")
        try await database.query("DROP TABLE \"LiteLLM_DailyEndUserSpend\"")
        await #expect {
            _ = try await Self.open(url)
        } throws: { error in
            guard let error = error as? StoreError, error.code == .migrationFailed else { return false }
            return error.message.contains("column LiteLLM_VerificationToken.budget_id")
                && error.message.contains("table LiteLLM_DailyEndUserSpend") && error.message.contains("litellm-proxy-extras 0.4.110")
        }
        #expect(try await Self.exists("\"LiteLLM_DailyEndUserSpend\"", database) == false)
        #expect(try await Self.exists("sy_keys", database) == false)

        let empty = try await StoreBackend.freshPostgresDatabase()
        await #expect {
            _ = try await Self.open(empty, schema: .litellm)
        } throws: { error in
            (error as? StoreError)?.message.contains("table LiteLLM_VerificationToken") == true
        }
        await #expect(throws: StoreError.self) { _ = try await Self.open("sqlite::memory:", schema: .litellm) }
    }

    /// A team, a user and a budget tier, written as LiteLLM's `/team/new`, `/user/new` and
    /// `/budget/new` write them; `user-1` is a member of `team-1`.
    static func seedLiteLLMRows(_ database: any SQLExecutor) async throws {
        try await database.query(
            """
            INSERT INTO "LiteLLM_BudgetTable" (budget_id, max_budget, rpm_limit, created_by, updated_by)
            VALUES ('tier-1', 5.0, 30, 'default_user_id', 'default_user_id')
            """)
        try await database.query(
            """
            INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, admins, members, members_with_roles, metadata, max_budget, spend, models,
              blocked, created_at, updated_at)
            VALUES ('team-1', 'search', '{}', '{user-1}', '[{"role": "user", "user_id": "user-1"}]', '{}', 100, 0, '{gpt-4o,gpt-4o-mini}',
              false, now(), now())
            """)
        try await database.query(
            """
            INSERT INTO "LiteLLM_UserTable" (user_id, user_role, max_budget, spend, models, metadata, teams)
            VALUES ('user-1', 'internal_user', 50, 0, '{}', '{}', '{team-1}')
            """)
    }

    /// A key as LiteLLM's `generate_key_helper_fn` inserts it (its column list and value shapes).
    static func insertLiteLLMKey(_ secret: String, alias: String, _ database: any SQLExecutor, team: String? = "team-1", user: String? = "user-1") async throws {
        try await database.query(
            """
            INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, expires, models, aliases, config, spend, max_budget, user_id,
              team_id, max_parallel_requests, metadata, tpm_limit, rpm_limit, budget_duration, budget_reset_at, allowed_cache_controls,
              permissions, model_max_budget, budget_id, blocked, created_by, updated_by, allowed_routes, access_group_ids, router_settings)
            VALUES ($1, $2, $3, '2030-01-01 00:00:00', '{gpt-4o}', '{"fast": "gpt-4o-mini"}', '{}', 1.25, NULL, $4, $5, 2, '{"tier": "gold"}',
              NULL, NULL, '30d', '2030-01-01 00:00:00', '{}', '{}', '{}', 'tier-1', NULL, 'default_user_id', 'default_user_id', '{}', '{}', '{}')
            """, .text(StoreTests.sha256sum(secret)), .text("sk-...\(secret.suffix(4))"), .text(alias), SQLValue(user), SQLValue(team))
    }

    @Test("a key LiteLLM generated is read with its settings, its budget tier filling what it leaves unset")
    func litellmKey() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        try await Self.seedLiteLLMRows(database)
        try await Self.insertLiteLLMKey("sk-made-by-litellm", alias: "litellm-made", database)
        let store = try await Self.open(url)
        defer { Task { await store.close() } }

        let key = try #require(try await store.key(token: StoreTests.sha256sum("sk-made-by-litellm")))
        #expect(key.alias == "litellm-made")
        #expect(key.keyName == "sk-...ellm")
        #expect(key.teamID == "team-1")
        #expect(key.userID == "user-1")
        #expect(key.models == ["gpt-4o"])
        #expect(key.aliases == ["fast": "gpt-4o-mini"])
        #expect(key.metadata["tier"]?.stringValue == "gold")
        #expect(key.expires == 1_893_456_000)  // 2030-01-01T00:00:00Z
        #expect(key.limits.budgetResetAt == 1_893_456_000)
        #expect(key.limits.budgetDuration == "30d")
        #expect(key.limits.spend == 1.25)
        #expect(key.limits.maxBudget == 5.0, "from the key's budget tier")
        #expect(key.limits.rpm == 30, "from the key's budget tier")
        #expect(key.limits.maxParallel == 2)
        #expect(key.blocked == false, "LiteLLM writes NULL for not blocked")

        let team = try #require(try await store.team(id: "team-1"))
        #expect(team.models == ["gpt-4o", "gpt-4o-mini"])
        #expect(team.limits.maxBudget == 100)
        #expect(try await store.user(id: "user-1")?.limits.maxBudget == 50)

        // Writing the key back keeps the tier's values inherited; a value of its own is its own.
        var changed = key
        changed.metadata = JSONObject([("tier", "silver")])
        try await store.update(changed)
        var row = try #require(try await database.query(
            "SELECT max_budget, rpm_limit, metadata->>'tier' AS tier FROM \"LiteLLM_VerificationToken\" WHERE key_alias = 'litellm-made'").first)
        #expect(row["max_budget"] == .null)
        #expect(row["rpm_limit"] == .null)
        #expect(row["tier"].text == "silver")
        changed.limits.maxBudget = 7
        try await store.update(changed)
        row = try #require(try await database.query("SELECT max_budget FROM \"LiteLLM_VerificationToken\" WHERE key_alias = 'litellm-made'").first)
        #expect(row["max_budget"].double == 7)
    }

    /// LiteLLM's key lookup (`PrismaClient.get_data(table_name="combined_view")` in
    /// `litellm/proxy/utils.py`), verbatim, its row as JSON.
    static let litellmKeyView = """
        SELECT row_to_json(x)::text AS row FROM (
        SELECT v.*, t.spend AS team_spend, t.max_budget AS team_max_budget, t.soft_budget AS team_soft_budget,
            t.model_max_budget AS team_model_max_budget, t.tpm_limit AS team_tpm_limit, t.rpm_limit AS team_rpm_limit,
            t.tpd_limit AS team_tpd_limit, t.models AS team_models, t.metadata AS team_metadata, t.blocked AS team_blocked,
            t.team_alias AS team_alias, t.metadata AS team_metadata, t.members_with_roles AS team_members_with_roles,
            t.object_permission_id AS team_object_permission_id, t.organization_id as org_id, p.project_alias AS project_alias,
            tm.spend AS team_member_spend, b_tm.tpm_limit AS team_member_tpm_limit, b_tm.rpm_limit AS team_member_rpm_limit,
            m.aliases AS team_model_aliases, b.max_budget AS litellm_budget_table_max_budget, b.tpm_limit AS litellm_budget_table_tpm_limit,
            b.rpm_limit AS litellm_budget_table_rpm_limit, b.tpd_limit AS litellm_budget_table_tpd_limit,
            b.model_max_budget as litellm_budget_table_model_max_budget, b.soft_budget as litellm_budget_table_soft_budget,
            o.metadata as organization_metadata, o.organization_alias as organization_alias, b2.max_budget as organization_max_budget,
            b2.tpm_limit as organization_tpm_limit, b2.rpm_limit as organization_rpm_limit
        FROM "LiteLLM_VerificationToken" AS v
        LEFT JOIN "LiteLLM_TeamTable" AS t ON v.team_id = t.team_id
        LEFT JOIN "LiteLLM_TeamMembership" AS tm ON v.team_id = tm.team_id AND tm.user_id = v.user_id
        LEFT JOIN "LiteLLM_BudgetTable" AS b_tm ON tm.budget_id = b_tm.budget_id
        LEFT JOIN "LiteLLM_ModelTable" m ON t.model_id = m.id
        LEFT JOIN "LiteLLM_BudgetTable" AS b ON v.budget_id = b.budget_id
        LEFT JOIN "LiteLLM_ProjectTable" AS p ON v.project_id = p.project_id
        LEFT JOIN "LiteLLM_OrganizationTable" AS o ON v.organization_id = o.organization_id
        LEFT JOIN "LiteLLM_BudgetTable" AS b2 ON o.budget_id = b2.budget_id
        WHERE v.token = $1) x
        """

    @Test("a key, team and user Switchyard writes read back through LiteLLM's own key lookup")
    func switchyardKeyInLiteLLM() async throws {
        let url = try await LiteLLMDatabase.fresh()
        let store = try await Self.open(url)
        defer { Task { await store.close() } }
        var team = TeamRecord(teamID: "team-sy")
        team.alias = "made by switchyard"
        team.models = ["gpt-4o"]
        team.limits.maxBudget = 20
        team.createdAt = 1_800_000_000
        team.updatedAt = 1_800_000_000
        try await store.insert(team)
        var user = UserRecord(userID: "user-sy")
        user.role = "proxy_admin"
        user.createdAt = 1_800_000_000
        user.updatedAt = 1_800_000_000
        try await store.insert(user)
        let secret = VirtualKey.generate()
        var key = KeyRecord(token: VirtualKey.hash(secret), keyName: VirtualKey.displayName(secret))
        key.alias = "sy-app"
        key.teamID = "team-sy"
        key.userID = "user-sy"
        key.models = ["gpt-4o", "claude-*"]
        key.limits.maxBudget = 3.5
        key.limits.budgetDuration = "1d"
        key.limits.budgetResetAt = 1_800_086_400
        key.limits.tpm = 1_000
        key.expires = 1_900_000_000.5
        key.metadata = JSONObject([("owner", "search"), ("quote", "O'Brien \"x\"")])
        key.aliases = ["fast": "gpt-4o-mini"]
        key.createdAt = 1_800_000_000
        key.updatedAt = 1_800_000_000
        try await store.insert(key)
        #expect(try await store.key(token: key.token) == key)
        await #expect(throws: StoreError.self, "key aliases stay unique though LiteLLM's schema does not enforce it") {
            var twin = KeyRecord(token: VirtualKey.hash(VirtualKey.generate()), keyName: "sk-...twin")
            twin.alias = "sy-app"
            try await store.insert(twin)
        }
        var other = KeyRecord(token: VirtualKey.hash(VirtualKey.generate()), keyName: "sk-...othr")
        other.alias = "other-app"
        try await store.insert(other)
        other.alias = "sy-app"
        await #expect(throws: StoreError.self, "nor can an update take another key's alias") { try await store.update(other) }
        other.alias = "renamed-app"
        try await store.update(other)
        #expect(try await store.key(token: other.token)?.alias == "renamed-app")

        let database = try LiteLLMDatabase.connect(url)
        defer { Task { await database.close() } }
        let text = try #require(try await database.query(Self.litellmKeyView, .text(StoreTests.sha256sum(secret))).first?["row"].text)
        let view = try #require(try JSONParser.parse(text).objectValue)
        #expect(view["key_name"]?.stringValue == VirtualKey.displayName(secret))
        #expect(view["key_alias"]?.stringValue == "sy-app")
        #expect(view["models"] == .array([.string("gpt-4o"), .string("claude-*")]))
        #expect(view["team_models"] == .array([.string("gpt-4o")]))
        #expect(view["team_alias"]?.stringValue == "made by switchyard")
        #expect(view["max_budget"] == .number("3.5"))
        #expect(view["team_max_budget"] == .number("20"))
        #expect(view["tpm_limit"] == .number("1000"))
        #expect(view["budget_duration"]?.stringValue == "1d")
        #expect(view["spend"] == .number("0"))
        #expect(view["blocked"] == .bool(false))
        #expect(view["team_blocked"] == .bool(false))
        #expect(view["expires"]?.stringValue == "2030-03-17T17:46:40.5")
        #expect(view["budget_reset_at"]?.stringValue == "2027-01-16T08:00:00")
        #expect(view["metadata"]?.objectValue?["quote"]?.stringValue == "O'Brien \"x\"")
        #expect(view["aliases"]?.objectValue?["fast"]?.stringValue == "gpt-4o-mini")
        #expect(view["created_by"]?.stringValue == "default_user_id")
        #expect(view["team_members_with_roles"] == .array([]), "LiteLLM's team member list is a JSON list")

        // Every NOT NULL column LiteLLM declares is filled (by Switchyard or by the schema's default).
        let required = try await database.query(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_name = 'LiteLLM_VerificationToken' AND is_nullable = 'NO'
            """).compactMap { $0["column_name"].text }
        #expect(required.count > 10)
        for column in required {
            #expect(view[column] != nil && view[column] != .null, "\(column) is set")
        }
        let role = try await database.query("SELECT user_role, array_to_json(teams)::text AS teams FROM \"LiteLLM_UserTable\" WHERE user_id = 'user-sy'")
        #expect(role.first?["user_role"].text == "proxy_admin")
        #expect(role.first?["teams"].text == "[]")
    }
}
