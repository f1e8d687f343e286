import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchyardCore
import SwitchyardProviders
import SwitchyardServer
import SwitchyardStore
import Testing

@Suite("health checks")
struct HealthTests {
    /// Readiness follows the database; liveliness does not look at it.
    @Test func readinessIsNotReadyWhileTheDatabaseCannotAnswer() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-health-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let yaml = """
            server: {access_log: false}
            database: {url: "sqlite://\(directory.path)/keys.db"}
            providers: {local: {kind: mock}}
            models: {echo: {provider: local}}
            """
        try await GatewayHarness.withStoreGateway(yaml: yaml, file: "\(directory.path)/test.yaml") { client, store in
            func status(_ path: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: path, method: .get) { $0.status }
            }
            #expect(try await status("/health/readiness") == .ok)
            await store.close()
            var readiness = HTTPResponse.Status.ok
            for _ in 0..<50 where readiness == .ok {
                try await Task.sleep(for: .milliseconds(100))
                readiness = try await status("/health/readiness")
            }
            #expect(readiness == .serviceUnavailable)
            #expect(try await status("/health/liveliness") == .ok)
        }
    }
}
