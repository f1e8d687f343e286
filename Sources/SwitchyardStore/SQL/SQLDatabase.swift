/// The little a store needs from a database connection: run a parameterised statement, and run
/// several in one transaction. Statements are written once with `$1, $2, …` placeholders;
/// each backend adapts them (`SQLiteDatabase` turns them into SQLite's `?1, ?2, …`).
public protocol SQLExecutor: Sendable {
    /// Runs one statement with its parameters bound (never spliced into the text).
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

public protocol SQLDatabase: SQLExecutor {
    /// Which SQL dialect details to use where the two differ (`upsert` syntax is shared; only the
    /// migration lock differs).
    var dialect: SQLDialect { get }
    /// Runs `body` inside `BEGIN … COMMIT` on one connection; any error rolls the whole body back.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Closes connections; the database is unusable afterwards.
    func close() async
}

public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

extension SQLExecutor {
    @discardableResult
    public func query(_ sql: String, _ binds: SQLValue...) async throws -> [SQLRow] {
        try await query(sql, binds)
    }
}
