import Logging
import SQLiteNIO
import Synchronization

/// SQLite through sqlite-nio (its own copy of SQLite: nothing to install). One connection,
/// statements serialised by an `AsyncLock` so a transaction never interleaves with another
/// request's statement; SQLite's work runs on NIO's thread pool, never on an event loop.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    /// Opens (creating if needed) the file at `path`, or a private in-memory database for `:memory:`.
    public static func open(path: String, logger: Logger) async throws -> SQLiteDatabase {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        let database = SQLiteDatabase(connection: connection)
        // WAL lets `switchyard keys list` read while the server writes; a busy timeout makes a
        // second process wait for the lock instead of failing at once.
        if path != ":memory:" { try await database.query("PRAGMA journal_mode=WAL") }
        try await database.query("PRAGMA busy_timeout=5000")
        return database
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await lock.withLock { try await self.run(sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await lock.withLock {
            try await self.run("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(Unlocked(database: self))
                try await self.run("COMMIT", [])
                return result
            } catch {
                _ = try? await self.run("ROLLBACK", [])
                throw error
            }
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// Statements inside a transaction: the lock is already held.
    private struct Unlocked: SQLExecutor {
        let database: SQLiteDatabase
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await database.run(sql, binds)
        }
    }

    private func run(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let rows = Mutex<[SQLRow]>([])
        do {
            try await connection.query(Self.sqliteText(sql), binds.map(Self.data)) { row in
                var values: [String: SQLValue] = [:]
                for column in row.columns { values[column.name] = Self.value(column.data) }
                rows.withLock { $0.append(SQLRow(values)) }
            }
        } catch let error as SQLiteError {
            throw Self.storeError(error)
        }
        return rows.withLock { $0 }
    }

    /// Classifies by SQLite's result code: a broken constraint is a conflict; a file that cannot
    /// be opened, read or written makes the store unavailable.
    private static func storeError(_ error: SQLiteError) -> StoreError {
        switch error.reason {
        case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            StoreError(.conflict, "a row with that id exists already")
        case .busy, .locked, .ioError, .cantOpen, .full, .readOnly, .permission, .corrupt:
            StoreError(.unavailable, "the SQLite database is unavailable (\(error.reason))")
        default:
            StoreError(.invalidValue, "SQLite rejected the statement: \(error.message)")
        }
    }

    /// `$1` → `?1`: SQLite's numbered parameters, bound by position like PostgreSQL's. Works on
    /// the UTF-8 bytes (both characters are ASCII, so the length does not change).
    static func sqliteText(_ sql: String) -> String {
        var bytes = Array(sql.utf8)
        var index = bytes.startIndex
        while let dollar = bytes[index...].firstIndex(of: UInt8(ascii: "$")) {
            let next = dollar + 1
            if next < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[next]) {
                bytes[dollar] = UInt8(ascii: "?")
            }
            index = next
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func data(_ value: SQLValue) -> SQLiteData {
        switch value {
        case .text(let text): .text(text)
        case .int(let value): .integer(SQLiteInt64(value))
        case .double(let value): .float(value)
        case .null: .null
        }
    }

    private static func value(_ data: SQLiteData) -> SQLValue {
        switch data {
        case .integer(let value): .int(Int(value))
        case .float(let value): .double(value)
        case .text(let text): .text(text)
        case .blob(let buffer): .text(String(buffer: buffer))
        case .null: .null
        }
    }
}
