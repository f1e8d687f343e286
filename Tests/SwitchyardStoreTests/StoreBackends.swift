import Foundation
import Logging
import SwitchyardStore

/// The databases the store suite runs against: SQLite always (a fresh file per test), and the
/// PostgreSQL server named by `SWITCHYARD_TEST_POSTGRES_URL` when it is set (a fresh schema-free
/// database per test, created through that server). `make test` says when PostgreSQL is skipped.
enum StoreBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SWITCHYARD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The backends available here.
    static var available: [StoreBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A URL to an empty database of this kind.
    func freshURL() async throws -> String {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return "sqlite://" + directory.appendingPathComponent("test.db").path
        case .postgres:
            return try await Self.freshPostgresDatabase()
        }
    }

    /// Creates `switchyard_test_<random>` on the test server and returns its URL.
    static func freshPostgresDatabase() async throws -> String {
        guard let base = postgresURL, var components = URLComponents(string: base) else { throw CocoaError(.featureUnsupported) }
        let name = "switchyard_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try PostgresDatabase(url: base, logger: Logger(label: "test"))
        try await admin.query("CREATE DATABASE \(name)")
        await admin.close()
        components.path = "/" + name
        return components.string!
    }

    func open() async throws -> (store: any GatewayStore, url: String) {
        let url = try await freshURL()
        return (try await StoreFactory.open(url: url, logger: Logger(label: "test")), url)
    }

    /// A raw connection to `url`, to look at or break the schema behind the store's back.
    static func database(_ url: String) async throws -> any SQLDatabase {
        if url.hasPrefix("postgres") { return try PostgresDatabase(url: url, logger: Logger(label: "test")) }
        return try await SQLiteDatabase.open(path: StoreFactory.sqlitePath(url)!, logger: Logger(label: "test"))
    }
}
