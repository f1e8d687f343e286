/// LiteLLM's own PostgreSQL schema (`LiteLLM_VerificationToken`, `LiteLLM_TeamTable`, …), read
/// and written in place so a LiteLLM deployment's keys keep working and LiteLLM's admin UI and
/// reports stay right. LiteLLM's column types are bridged in SQL (arrays and JSONB through JSON
/// text, timestamps through seconds since 1970), so the SQL layer sees only its four value kinds.
/// The schema is never altered: `migrate()` only checks it.
public final class LiteLLMStore: GatewayStore {
    let database: any SQLDatabase
    let schema: LiteLLMSchema

    /// Who LiteLLM records as having created or updated a row: its name for the proxy admin
    /// (the master key), which is what calls Switchyard's management API.
    static let admin = "default_user_id"

    /// Checks the schema and opens the store.
    /// - Throws: `StoreError.migrationFailed` naming a missing table or column.
    public static func open(database: any SQLDatabase) async throws -> LiteLLMStore {
        LiteLLMStore(database: database, schema: try await LiteLLMSchema.check(database))
    }

    private init(database: any SQLDatabase, schema: LiteLLMSchema) {
        self.database = database
        self.schema = schema
    }

    /// Checks the schema again; LiteLLM's migrations, not Switchyard, change it.
    public func migrate() async throws {
        _ = try await LiteLLMSchema.check(database)
    }

    public func close() async {
        await database.close()
    }

    // MARK: SQL for LiteLLM's types

    /// A `timestamp(3)` (UTC, as Prisma writes it) as seconds since 1970.
    static func seconds(_ column: String) -> String { "EXTRACT(EPOCH FROM \(column))::float8" }
    /// Seconds since 1970 (a `$n` parameter) as a UTC `timestamp`.
    static func timestamp(_ parameter: String) -> String { "(to_timestamp(\(parameter)::float8) AT TIME ZONE 'UTC')" }
    /// A `text[]` column as JSON text.
    static func list(_ column: String) -> String { "array_to_json(COALESCE(\(column), '{}'))::text" }
    /// JSON list text (a `$n` parameter) as `text[]`.
    static func array(_ parameter: String) -> String { "ARRAY(SELECT jsonb_array_elements_text(\(parameter)::jsonb))" }
    /// A 0/1 parameter as a boolean.
    static func boolean(_ parameter: String) -> String { "(\(parameter)::int8 = 1)" }
}
