import Foundation
import Logging
import SwitchyardStore

/// Databases with LiteLLM's real schema, for the LiteLLM store tests: each test gets a fresh copy
/// (`CREATE DATABASE … TEMPLATE`) of a database that `scripts/litellm-schema.sh` filled with every
/// migration of the pinned `litellm-proxy-extras` release. `make test` runs the script and sets
/// `SWITCHYARD_TEST_LITELLM_URL`; with only `SWITCHYARD_TEST_POSTGRES_URL` set the tests run the
/// script themselves; with neither they are skipped (`make test` says so).
enum LiteLLMDatabase {
    static var isAvailable: Bool { environment("SWITCHYARD_TEST_LITELLM_URL") != nil || StoreBackend.postgresURL != nil }

    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The template database's URL, made once per test run.
    private static let template = Task<String, any Error> {
        if let url = environment("SWITCHYARD_TEST_LITELLM_URL") { return url }
        guard let server = StoreBackend.postgresURL else { throw CocoaError(.featureUnsupported) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = root.appendingPathComponent("scripts/litellm-schema.sh")
        process.arguments = [server]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A fresh database holding LiteLLM's schema and nothing else; returns its URL.
    static func fresh() async throws -> String {
        let template = try await template.value
        guard var components = URLComponents(string: template) else { throw CocoaError(.featureUnsupported) }
        let templateName = String(components.path.dropFirst())
        let name = "switchyard_litellm_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        components.path = "/postgres"
        let admin = try PostgresDatabase(url: components.string!, logger: Logger(label: "test"))
        defer { Task { await admin.close() } }
        try await admin.query("CREATE DATABASE \(name) TEMPLATE \(templateName)")
        components.path = "/" + name
        return components.string!
    }

    /// A raw connection, to write and read rows the way LiteLLM does, behind the store's back.
    static func connect(_ url: String) throws -> PostgresDatabase {
        try PostgresDatabase(url: url, logger: Logger(label: "test"))
    }
}
