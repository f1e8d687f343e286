import Logging
public import SwitchyardCore

/// Opens the store a `database:` URL and `schema` name: Switchyard's own schema (brought up to
/// date) on SQLite or PostgreSQL, or LiteLLM's tables in a PostgreSQL database (checked, never
/// changed).
public enum StoreFactory {
    /// - Parameters:
    ///   - url: `sqlite:///absolute/path.db`, `sqlite://relative.db`, `sqlite::memory:`, `:memory:`,
    ///     or `postgres://…`.
    ///   - schema: `.auto` serves LiteLLM's tables when the PostgreSQL database has
    ///     `LiteLLM_VerificationToken`, Switchyard's own otherwise.
    /// - Throws: `StoreError` (`.invalidURL`, `.unavailable`, `.migrationFailed`).
    public static func open(url: String, schema: DatabaseSettings.Schema = .auto, logger: Logger) async throws -> any GatewayStore {
        let database: any SQLDatabase
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            database = try PostgresDatabase(url: url, logger: logger)
        } else if let path = sqlitePath(url) {
            guard schema != .litellm else {
                throw StoreError(.invalidURL, "LiteLLM's schema lives in PostgreSQL: schema litellm needs a postgres:// url")
            }
            do {
                database = try await SQLiteDatabase.open(path: path, logger: logger)
            } catch {
                throw StoreError(.unavailable, "cannot open the SQLite database at \(path): \(error)")
            }
        } else {
            throw StoreError(.invalidURL, "database url must start with sqlite:// or postgres://")
        }
        do {
            if try await servesLiteLLM(database, schema: schema) {
                let store = try await LiteLLMStore.open(database: database)
                logger.info("serving LiteLLM's tables in place (database schema: litellm)")
                return store
            }
            let store = NativeStore(database: database)
            try await store.migrate()
            return store
        } catch {
            await database.close()
            throw error
        }
    }

    private static func servesLiteLLM(_ database: any SQLDatabase, schema: DatabaseSettings.Schema) async throws -> Bool {
        switch schema {
        case .native: false
        case .litellm: true
        case .auto: database.dialect == .postgres ? try await LiteLLMSchema.isPresent(database) : false
        }
    }

    /// The file path of an SQLite URL; nil when `url` is not one.
    public static func sqlitePath(_ url: String) -> String? {
        if url == ":memory:" || url == "sqlite::memory:" || url == "sqlite://:memory:" { return ":memory:" }
        guard url.hasPrefix("sqlite://") else { return nil }
        let path = String(url.dropFirst("sqlite://".count))
        return path.isEmpty ? nil : path
    }
}
