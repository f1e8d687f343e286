import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// PostgreSQL through postgres-nio's connection pool, for deployments with several replicas:
/// every spend change is an atomic `UPDATE … SET spend = spend + $1`, so replicas never lose
/// each other's increments.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects lazily: the pool opens connections when the first statement runs.
    /// - Parameter url: `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
    public init(url: String, logger: Logger) throws(StoreError) {
        let configuration = try Self.configuration(url)
        // The pool's own chatter (reconnects, "run() not called yet" while its task starts)
        // stays out of the log; failures reach callers as `StoreError`s.
        var background = logger
        background.logLevel = .error
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.client = client
        self.logger = logger
        self.runner = Task { await client.run() }
    }

    /// How long a statement or transaction may take, including the wait for a connection.
    static let deadline = Duration.seconds(5)

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        do {
            return try await withDeadline(Self.deadline) { [client, logger] in
                try await Self.collect(client.query(Self.query(sql, binds), logger: logger))
            }
        } catch let error as PSQLError {
            throw Self.storeError(error)
        }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        do {
            return try await withDeadline(Self.deadline) { try await self.runTransaction(body) }
        } catch let error as PSQLError {
            throw Self.storeError(error)
        }
    }

    /// Classifies by PostgreSQL's SQLSTATE (`23505` unique violation) and by the client's error
    /// code: anything but a server answer means the database could not be reached.
    static func storeError(_ error: PSQLError) -> StoreError {
        guard error.code == .server else {
            return StoreError(.unavailable, "PostgreSQL is unavailable (\(error.code))")
        }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "server error"
        if state == "23505" { return StoreError(.conflict, "a row with that id exists already") }
        // Class 08 (connection), 53 (resources), 57 (operator intervention: shutdown).
        if state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57") {
            return StoreError(.unavailable, "PostgreSQL is unavailable (\(state): \(message))")
        }
        return StoreError(.invalidValue, "PostgreSQL rejected the statement (\(state): \(message))")
    }

    private func runTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let result = try await body(Connection(connection: connection, logger: logger))
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    private struct Connection: SQLExecutor {
        let connection: PostgresConnection
        let logger: Logger
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await PostgresDatabase.collect(connection.query(PostgresDatabase.query(sql, binds), logger: logger))
        }
    }

    static func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .text(let text): bindings.append(text)
            case .int(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var out: [SQLRow] = []
        for try await row in rows {
            var values: [String: SQLValue] = [:]
            for cell in row { values[cell.columnName] = try value(cell) }
            out.append(SQLRow(values))
        }
        return out
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .int(try cell.decode(Int.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    /// Reads a libpq-style URL; the password may be percent-encoded.
    static func configuration(_ url: String) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql", let host = components.host, !host.isEmpty
        else {
            throw StoreError(.invalidURL, "database url must look like postgres://user:password@host:5432/database")
        }
        let query = components.queryItems ?? []
        let tls: PostgresClient.Configuration.TLS
        switch query.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: components.user?.removingPercentEncoding ?? "postgres",
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 8
        return configuration
    }
}
