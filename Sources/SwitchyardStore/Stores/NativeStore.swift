import Logging

/// Switchyard's own schema on SQLite or PostgreSQL: one set of parameterised statements for both
/// (`$1` placeholders; values are always bound, never spliced into the text).
public final class NativeStore: GatewayStore {
    let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func close() async {
        await database.close()
    }

    public func migrate() async throws {
        do {
            try await database.transaction { tx in
                try await self.lockMigrations(tx)
                try await tx.query("""
                    CREATE TABLE IF NOT EXISTS sy_schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,
                      applied_at DOUBLE PRECISION NOT NULL)
                    """)
            }
        } catch let error as StoreError where error.code == .unavailable {
            throw error
        } catch {
            throw StoreError(.migrationFailed, "could not create the migrations table: \(error)")
        }
        let applied = try await database.query("SELECT MAX(version) AS version FROM sy_schema_migrations").first?["version"].int ?? 0
        if applied > NativeSchema.latest {
            throw StoreError(
                .migrationFailed,
                "the database has schema version \(applied), newer than this build knows (\(NativeSchema.latest)); upgrade Switchyard")
        }
        for migration in NativeSchema.migrations where migration.version > applied {
            do {
                try await database.transaction { tx in
                    try await self.lockMigrations(tx)
                    // Another replica may have applied it while this one waited for the lock.
                    let done = try await tx.query("SELECT version FROM sy_schema_migrations WHERE version = $1", .int(migration.version))
                    guard done.isEmpty else { return }
                    for statement in migration.statements { try await tx.query(statement) }
                    try await tx.query(
                        "INSERT INTO sy_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        .int(migration.version), .text(migration.name), .double(WallClock.now()))
                }
            } catch let error as StoreError where error.code == .unavailable {
                throw error
            } catch {
                throw StoreError(
                    .migrationFailed,
                    "schema migration \(migration.version) (\(migration.name)) failed and was rolled back, nothing of it applied: \(error)")
            }
        }
    }

    /// Replicas starting together take turns (PostgreSQL); SQLite's `BEGIN IMMEDIATE` already
    /// serialises writers.
    private func lockMigrations(_ tx: any SQLExecutor) async throws {
        if database.dialect == .postgres { try await tx.query("SELECT pg_advisory_xact_lock(74137413)") }
    }

    // MARK: keys

    static let keyColumns = """
        token, key_name, key_alias, team_id, user_id, models, max_budget, budget_duration, budget_reset_at, spend,
        rpm_limit, tpm_limit, max_parallel_requests, expires, blocked, metadata, aliases, created_at, updated_at
        """

    public func key(token: String) async throws -> KeyRecord? {
        try await database.query("SELECT \(Self.keyColumns) FROM sy_keys WHERE token = $1", .text(token)).first.map(StoreRows.key)
    }

    public func keys(_ filter: KeyFilter) async throws -> (keys: [KeyRecord], total: Int) {
        let (whereClause, binds) = filter.whereClause(prefix: "")
        let total = try await database.query("SELECT COUNT(*) AS n FROM sy_keys" + whereClause, binds).first?["n"].int ?? 0
        let rows = try await database.query(
            "SELECT \(Self.keyColumns) FROM sy_keys\(whereClause) ORDER BY created_at, token\(filter.pageClause)", binds)
        return (rows.map(StoreRows.key), total)
    }

    public func insert(_ key: KeyRecord) async throws {
        try JSONColumn.checkText([key.alias, key.teamID, key.userID])
        try await database.query(
            "INSERT INTO sy_keys (\(Self.keyColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
            StoreValues.insert(key))
    }

    public func update(_ key: KeyRecord) async throws {
        try JSONColumn.checkText([key.alias, key.teamID, key.userID])
        try await database.query(
            """
            UPDATE sy_keys SET key_alias = $2, team_id = $3, user_id = $4, models = $5, max_budget = $6, budget_duration = $7,
              budget_reset_at = $8, rpm_limit = $9, tpm_limit = $10, max_parallel_requests = $11, expires = $12, blocked = $13,
              metadata = $14, aliases = $15, updated_at = $16, key_name = $17
            WHERE token = $1
            """, StoreValues.update(key))
    }

    public func deleteKeys(tokens: [String]) async throws -> [String] {
        try await database.delete(from: "sy_keys", column: "token", ids: tokens)
    }
}
