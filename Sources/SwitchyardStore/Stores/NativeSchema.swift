/// Switchyard's own schema, as numbered migrations. A migration is never edited once released:
/// a change is a new entry. Types are chosen to mean the same in SQLite and PostgreSQL (TEXT,
/// BIGINT, DOUBLE PRECISION; times are seconds since 1970; booleans 0/1; JSON as TEXT).
enum NativeSchema {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let budgetColumns = """
        max_budget DOUBLE PRECISION, budget_duration TEXT, budget_reset_at DOUBLE PRECISION,
        spend DOUBLE PRECISION NOT NULL DEFAULT 0, rpm_limit BIGINT, tpm_limit BIGINT, max_parallel_requests BIGINT
        """

    static let migrations: [Migration] = [
        Migration(version: 1, name: "keys, teams, users, end users, spend", statements: [
            """
            CREATE TABLE sy_teams (team_id TEXT PRIMARY KEY, team_alias TEXT, models TEXT NOT NULL DEFAULT '[]',
              \(budgetColumns), blocked BIGINT NOT NULL DEFAULT 0, metadata TEXT NOT NULL DEFAULT '{}',
              created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE sy_users (user_id TEXT PRIMARY KEY, user_email TEXT, user_role TEXT, models TEXT NOT NULL DEFAULT '[]',
              \(budgetColumns), metadata TEXT NOT NULL DEFAULT '{}',
              created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE sy_end_users (user_id TEXT PRIMARY KEY, \(budgetColumns), blocked BIGINT NOT NULL DEFAULT 0,
              created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE sy_keys (token TEXT PRIMARY KEY, key_name TEXT NOT NULL, key_alias TEXT UNIQUE, team_id TEXT, user_id TEXT,
              models TEXT NOT NULL DEFAULT '[]', \(budgetColumns), expires DOUBLE PRECISION, blocked BIGINT NOT NULL DEFAULT 0,
              metadata TEXT NOT NULL DEFAULT '{}', aliases TEXT NOT NULL DEFAULT '{}',
              created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX sy_keys_team ON sy_keys (team_id)",
            "CREATE INDEX sy_keys_user ON sy_keys (user_id)",
            """
            CREATE TABLE sy_model_spend (model TEXT PRIMARY KEY, spend DOUBLE PRECISION NOT NULL DEFAULT 0,
              updated_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE sy_spend_logs (request_id TEXT PRIMARY KEY, call_type TEXT NOT NULL, api_key TEXT, key_alias TEXT,
              team_id TEXT, user_id TEXT, end_user TEXT, model TEXT NOT NULL, model_group TEXT NOT NULL, provider TEXT,
              prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, total_tokens BIGINT NOT NULL,
              spend DOUBLE PRECISION NOT NULL, status TEXT NOT NULL, http_status BIGINT NOT NULL, duration_ms DOUBLE PRECISION NOT NULL,
              pipeline_path TEXT, start_time DOUBLE PRECISION NOT NULL, end_time DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX sy_spend_logs_start ON sy_spend_logs (start_time)",
            "CREATE INDEX sy_spend_logs_key ON sy_spend_logs (api_key)",
        ]),
        Migration(version: 2, name: "stored Responses API responses", statements: [
            """
            CREATE TABLE sy_responses (id TEXT PRIMARY KEY, scope TEXT NOT NULL, model TEXT NOT NULL, input TEXT NOT NULL,
              response TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION)
            """,
            "CREATE INDEX sy_responses_expires ON sy_responses (expires_at)",
        ]),
    ]

    /// The newest version this build knows.
    static var latest: Int { migrations.last?.version ?? 0 }
}
