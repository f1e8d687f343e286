import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchyardCore
import SwitchyardProviders
import SwitchyardServer
import Testing

@Suite("reload")
struct ReloadTests {
    static func file(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("gateway.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let base = """
        server: {master_key: sk-admin, access_log: false}
        database: {url: none}
        providers: {local: {kind: mock}}
        models:
          echo: {provider: local}

        """

    @Test func adminReloadSwapsTheProgramAndABrokenFileChangesNothing() async throws {
        let path = try Self.file(Self.base)
        let program = try GatewayProgram(config: try ConfigLoader.load(path: path))
        let clients = UpstreamClients()
        let logger = Logger(label: "reload-test")
        let gateway = Gateway(program: program, clients: clients, logger: logger)
        let app = buildApplication(gateway: gateway, logger: logger, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            let admin: HTTPFields = [.authorization: "Bearer sk-admin"]
            func models() async throws -> String {
                try await client.execute(uri: "/v1/models", method: .get, headers: admin) { String(buffer: $0.body) }
            }
            #expect(try await !models().contains("canned"))
            try (Self.base + "  canned: {provider: local, mock_response: reloaded}\n").write(toFile: path, atomically: true, encoding: .utf8)

            // Only the master key (or an admin key) may reload.
            #expect(try await client.execute(uri: "/admin/reload", method: .post) { $0.status } == .unauthorized)
            try await client.execute(uri: "/admin/reload", method: .post, headers: admin) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""status":"reloaded""#))
            }
            #expect(try await models().contains("canned"))
            let body = ByteBuffer(string: #"{"model":"canned","messages":[{"role":"user","content":"hi"}]}"#)
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: admin.merging(GatewayHarness.json), body: body) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("reloaded"))
            }

            // A broken file: 400 with file:line:column, and the running program stays.
            try (Self.base + "  broken: {provider: nowhere}\n").write(toFile: path, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/admin/reload", method: .post, headers: admin) { response in
                #expect(response.status == .badRequest)
                let text = String(buffer: response.body)
                #expect(text.contains("\(path):6:22: error: models.broken.provider"))
                #expect(text.contains("nowhere"))
                #expect(text.contains("config_invalid"))
            }
            #expect(try await models().contains("canned"))
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: admin.merging(GatewayHarness.json), body: body) { response in
                #expect(response.status == .ok)
            }
        }
        await clients.shutdown()
    }
}

extension HTTPFields {
    fileprivate func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        fields.append(contentsOf: other)
        return fields
    }
}
