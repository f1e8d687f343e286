import Logging

/// Opens the store a `database:` URL names and brings its schema up to date.
public enum StoreFactory {
    /// - Parameter url: `sqlite:///absolute/path.db`, `sqlite://relative.db`, `sqlite::memory:`,
    ///   `:memory:`, or `postgres://…`.
    /// - Throws: `StoreError` (`.invalidURL`, `.unavailable`, `.migrationFailed`).
    public static func open(url: String, logger: Logger) async throws -> any GatewayStore {
        let database: any SQLDatabase
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            database = try PostgresDatabase(url: url, logger: logger)
        } else if let path = sqlitePath(url) {
            do {
                database = try await SQLiteDatabase.open(path: path, logger: logger)
            } catch {
                throw StoreError(.unavailable, "cannot open the SQLite database at \(path): \(error)")
            }
        } else {
            throw StoreError(.invalidURL, "database url must start with sqlite:// or postgres://")
        }
        let store = NativeStore(database: database)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// The file path of an SQLite URL; nil when `url` is not one.
    public static func sqlitePath(_ url: String) -> String? {
        if url == ":memory:" || url == "sqlite::memory:" || url == "sqlite://:memory:" { return ":memory:" }
        guard url.hasPrefix("sqlite://") else { return nil }
        let path = String(url.dropFirst("sqlite://".count))
        return path.isEmpty ? nil : path
    }
}
