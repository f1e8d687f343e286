import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import SwitchyardCore
import SwitchyardProviders
import SwitchyardServer
import SwitchyardStore
import Testing

/// Virtual keys end to end: the management API creates teams and keys, requests with those keys
/// are admitted or refused, and their spend lands in the store (a real SQLite file).
@Suite("Virtual keys, budgets and spend")
struct VirtualKeyTests {
    static let master = "sk-master-test"

    /// The gateway with a fresh SQLite database, in front of a `UsageUpstream`.
    static func withGateway<T: Sendable>(
        masterKey: String? = master, extra: String = "",
        _ body: @Sendable (_ client: any TestClientProtocol, _ upstream: UsageUpstream) async throws -> T
    ) async throws -> T {
        let upstream = UsageUpstream()
        return try await upstream.run { port in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-keys-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let yaml = """
                server:
                  access_log: false
                \(masterKey.map { "  master_key: \($0)" } ?? "")
                database:
                  url: sqlite://\(directory.path)/keys.db
                  flush_interval: 50ms
                providers:
                  up: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-upstream}
                models:
                  priced: {provider: up, model: usage-model, input_cost_per_token: 0.001, output_cost_per_token: 0.002}
                  other: {provider: up, model: usage-model, input_cost_per_token: 0.001, output_cost_per_token: 0.002}
                  slow: {provider: up, model: slow, input_cost_per_token: 0.001, output_cost_per_token: 0.002}
                  gpt-4o: {provider: up, model: gpt-4o}
                \(extra)
                """
            return try await GatewayHarness.withStoreGateway(yaml: yaml, file: "\(directory.path)/test.yaml") { client, _ in
                try await body(client, upstream)
            }
        }
    }

    static func headers(_ key: String) -> HTTPFields {
        [.contentType: "application/json", .authorization: "Bearer \(key)"]
    }

    /// Calls the management API with the master key; returns the JSON answer.
    @discardableResult
    static func admin(
        _ client: any TestClientProtocol, _ uri: String, _ body: String = "{}", method: HTTPRequest.Method = .post,
        key: String = master, expect status: HTTPResponse.Status = .ok
    ) async throws -> [String: Any] {
        try await client.execute(uri: uri, method: method, headers: headers(key), body: method == .get ? nil : ByteBuffer(string: body)) { response in
            #expect(response.status == status, "\(uri): \(String(buffer: response.body))")
            return (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
        }
    }

    static func chat(
        _ client: any TestClientProtocol, key: String, model: String = "priced", stream: Bool = false, extra: String = ""
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: headers(key),
            body: GatewayHarness.chatBody(model: model, stream: stream, extra: extra)
        ) { ($0.status, $0.headers, String(buffer: $0.body)) }
    }

    static func error(_ body: String) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])?["error"] as? [String: Any] ?? [:]
    }

    /// 1,000 prompt tokens at $0.001 and 500 completion tokens at $0.002.
    static let costPerRequest = 2.0

    @Test("team and key through the API; the key's calls are charged to key, team and spend logs")
    func spendLandsWhereItIsRead() async throws {
        try await Self.withGateway { client, _ in
            let team = try await Self.admin(client, "/team/new", #"{"team_alias": "search", "max_budget": 100}"#)
            let teamID = try #require(team["team_id"] as? String)
            let created = try await Self.admin(
                client, "/key/generate", #"{"team_id": "\#(teamID)", "key_alias": "search-prod", "models": ["priced"], "metadata": {"env": "prod"}}"#)
            let key = try #require(created["key"] as? String)
            #expect(key.hasPrefix("sk-"))
            #expect(created["token"] as? String == VirtualKey.hash(key))

            for _ in 0..<2 {
                let answer = try await Self.chat(client, key: key)
                #expect(answer.status == .ok, "\(answer.body)")
            }
            let info = try await Self.admin(client, "/key/info?key=\(key)", method: .get)
            let keyInfo = try #require(info["info"] as? [String: Any])
            #expect((keyInfo["spend"] as? Double) == 2 * Self.costPerRequest)
            #expect(keyInfo["key_alias"] as? String == "search-prod")
            #expect(info.description.contains(key) == false, "the key itself is never shown again")

            let teamInfo = try await Self.admin(client, "/team/info?team_id=\(teamID)", method: .get)
            #expect(((teamInfo["team_info"] as? [String: Any])?["spend"] as? Double) == 2 * Self.costPerRequest)

            let logs = try await client.execute(uri: "/spend/logs?api_key=\(key)", method: .get, headers: Self.headers(Self.master)) { response in
                (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [[String: Any]] ?? []
            }
            #expect(logs.count == 2)
            for row in logs {
                #expect(row["api_key"] as? String == VirtualKey.hash(key))
                #expect(row["team_id"] as? String == teamID)
                #expect(row["model_group"] as? String == "priced")
                #expect(row["model"] as? String == "usage-model")
                #expect(row["total_tokens"] as? Int == 1_500)
                #expect(row["spend"] as? Double == Self.costPerRequest)
                #expect(row["status"] as? String == "success")
                #expect(!"\(row)".contains("hello"), "no message content in spend logs")
            }
            let report = try await client.execute(uri: "/global/spend/report?group_by=team", method: .get, headers: Self.headers(Self.master)) {
                String(buffer: $0.body)
            }
            #expect(report.contains(teamID) && report.contains("\"total_spend\":4"))
        }
    }

    @Test("a spent budget answers LiteLLM's 422 budget_exceeded with the spend and the budget")
    func budgetExhaustion() async throws {
        try await Self.withGateway { client, _ in
            let key = try #require(try await Self.admin(client, "/key/generate", #"{"max_budget": 3}"#)["key"] as? String)
            #expect(try await Self.chat(client, key: key).status == .ok)  // 2 spent
            #expect(try await Self.chat(client, key: key).status == .ok)  // 4 spent: it was under budget when admitted
            let refused = try await Self.chat(client, key: key)
            #expect(refused.status.code == 422)
            let error = Self.error(refused.body)
            #expect(error["type"] as? String == "budget_exceeded")
            #expect((error["message"] as? String)?.contains("Current cost: 4.0, Max budget: 3.0") == true)
            #expect(!refused.body.contains(key))
        }
    }

    @Test("a team budget stops every key of the team")
    func teamBudget() async throws {
        try await Self.withGateway { client, _ in
            let team = try #require(try await Self.admin(client, "/team/new", #"{"max_budget": 1}"#)["team_id"] as? String)
            let first = try #require(try await Self.admin(client, "/key/generate", #"{"team_id": "\#(team)"}"#)["key"] as? String)
            let second = try #require(try await Self.admin(client, "/key/generate", #"{"team_id": "\#(team)"}"#)["key"] as? String)
            #expect(try await Self.chat(client, key: first).status == .ok)
            let refused = try await Self.chat(client, key: second)
            #expect(refused.status.code == 422)
            #expect((Self.error(refused.body)["message"] as? String)?.contains("Team=\(team)") == true)
        }
    }

    @Test("models outside the allow-list answer 401 naming the model; aliases and globs work")
    func modelAllowList() async throws {
        try await Self.withGateway { client, upstream in
            let key = try #require(
                try await Self.admin(client, "/key/generate", #"{"models": ["pri*"], "aliases": {"cheap": "priced"}}"#)["key"] as? String)
            #expect(try await Self.chat(client, key: key, model: "priced").status == .ok)
            #expect(try await Self.chat(client, key: key, model: "cheap").status == .ok)
            let listed = try await client.execute(uri: "/v1/models", method: .get, headers: Self.headers(key)) { String(buffer: $0.body) }
            #expect(listed.contains("\"priced\"") && !listed.contains("\"other\""), "a key lists only the models it may call")
            let refused = try await Self.chat(client, key: key, model: "other")
            #expect(refused.status == .unauthorized)
            #expect((Self.error(refused.body)["message"] as? String)?.contains("'other'") == true)
            #expect(upstream.received.count == 2, "a refused request never reaches the upstream")
        }
    }

    @Test("unknown, blocked, expired and regenerated keys are refused with 401; block is undone by unblock")
    func keyLifecycle() async throws {
        try await Self.withGateway { client, _ in
            let unknown = try await Self.chat(client, key: "sk-not-a-real-key-123")
            #expect(unknown.status == .unauthorized)
            #expect(!unknown.body.contains("sk-not-a-real-key-123"))

            let key = try #require(try await Self.admin(client, "/key/generate", #"{"key_alias": "blockme"}"#)["key"] as? String)
            try await Self.admin(client, "/key/block", #"{"key": "\#(key)"}"#)
            let blocked = try await Self.chat(client, key: key)
            #expect(blocked.status == .unauthorized)
            #expect(blocked.body.contains("blocked"))
            try await Self.admin(client, "/key/unblock", #"{"key": "\#(VirtualKey.hash(key))"}"#)
            #expect(try await Self.chat(client, key: key).status == .ok)

            let regenerated = try await Self.admin(client, "/key/regenerate", #"{"key": "\#(key)"}"#)
            let fresh = try #require(regenerated["key"] as? String)
            #expect(fresh != key)
            #expect(try await Self.chat(client, key: key).status == .unauthorized)
            #expect(try await Self.chat(client, key: fresh).status == .ok)
            let info = try await Self.admin(client, "/key/info?key=\(fresh)", method: .get)
            #expect(((info["info"] as? [String: Any])?["spend"] as? Double) == 2 * Self.costPerRequest, "spend carries over")

            let shortLived = try #require(try await Self.admin(client, "/key/generate", #"{"duration": "1s"}"#)["key"] as? String)
            #expect(try await Self.chat(client, key: shortLived).status == .ok)
            try await Task.sleep(for: .milliseconds(1_200))
            let expired = try await Self.chat(client, key: shortLived)
            #expect(expired.status == .unauthorized)
            #expect(expired.body.contains("expired"))

            let deleted = try await Self.admin(client, "/key/delete", #"{"key_aliases": ["blockme"]}"#)
            #expect((deleted["deleted_keys"] as? [String])?.count == 1)
            #expect(try await Self.chat(client, key: fresh).status == .unauthorized)
        }
    }

    @Test("rpm and parallel-request limits answer 429 with Retry-After")
    func rateLimits() async throws {
        try await Self.withGateway { client, _ in
            let key = try #require(try await Self.admin(client, "/key/generate", #"{"rpm_limit": 2}"#)["key"] as? String)
            #expect(try await Self.chat(client, key: key).status == .ok)
            #expect(try await Self.chat(client, key: key).status == .ok)
            let limited = try await Self.chat(client, key: key)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)

            let single = try #require(try await Self.admin(client, "/key/generate", #"{"max_parallel_requests": 1}"#)["key"] as? String)
            // Two connections at once (the test client has one).
            let port = try #require(client.port)
            let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
                        request.method = .POST
                        request.headers.add(name: "authorization", value: "Bearer \(single)")
                        request.headers.add(name: "content-type", value: "application/json")
                        request.body = .bytes(GatewayHarness.chatBody(model: "slow"))
                        return try await http.execute(request, timeout: .seconds(10)).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await http.shutdown()
            #expect(statuses.sorted() == [200, 429])
            #expect(try await Self.chat(client, key: single, model: "slow").status == .ok, "the lease was released")
        }
    }

    @Test("streams are charged from the upstream's usage; the usage chunk reaches only clients that asked for it")
    func streamedSpend() async throws {
        try await Self.withGateway { client, upstream in
            let key = try #require(try await Self.admin(client, "/key/generate", "{}")["key"] as? String)
            let plain = try await Self.chat(client, key: key, stream: true)
            #expect(plain.status == .ok)
            #expect(plain.body.contains("Hel") && plain.body.contains("[DONE]"))
            #expect(!plain.body.contains("\"prompt_tokens\""), "the client did not ask for usage")
            let asked = try await Self.chat(client, key: key, stream: true, extra: #","stream_options":{"include_usage":true}"#)
            #expect(asked.body.contains("\"prompt_tokens\":1000"))
            #expect(upstream.received.allSatisfy { (($0["stream_options"] as? [String: Any])?["include_usage"] as? Bool) == true })
            let info = try await Self.admin(client, "/key/info?key=\(key)", method: .get)
            #expect(((info["info"] as? [String: Any])?["spend"] as? Double) == 2 * Self.costPerRequest)
        }
    }

    @Test("end users (the request's user field) have budgets of their own")
    func endUserBudget() async throws {
        try await Self.withGateway { client, _ in
            try await Self.admin(client, "/customer/new", #"{"user_id": "customer-7", "max_budget": 1}"#)
            let key = try #require(try await Self.admin(client, "/key/generate", "{}")["key"] as? String)
            #expect(try await Self.chat(client, key: key, extra: #","user":"customer-7""#).status == .ok)
            let refused = try await Self.chat(client, key: key, extra: #","user":"customer-7""#)
            #expect(refused.status.code == 422)
            #expect(try await Self.chat(client, key: key, extra: #","user":"someone-else""#).status == .ok)
        }
    }

    @Test("pipelines see the key's alias, team and metadata")
    func pipelinesSeeKeys() async throws {
        let pipelines = """
            pipelines:
              main:
                - match:
                    - when: {key.metadata.tier: gold}
                      route: priced
                    - when: {team: team-b}
                      route: other
                    - else: {route: gpt-4o}
            """
        try await Self.withGateway(extra: pipelines) { client, upstream in
            try await Self.admin(client, "/team/new", #"{"team_id": "team-b"}"#)
            let gold = try #require(try await Self.admin(client, "/key/generate", #"{"metadata": {"tier": "gold"}}"#)["key"] as? String)
            let teamB = try #require(try await Self.admin(client, "/key/generate", #"{"team_id": "team-b"}"#)["key"] as? String)
            let plain = try #require(try await Self.admin(client, "/key/generate", "{}")["key"] as? String)
            #expect(try await Self.chat(client, key: gold, model: "anything").headers[.init("x-switchyard-target")!] == "up/usage-model")
            #expect(try await Self.chat(client, key: teamB, model: "anything").headers[.init("x-switchyard-target")!] == "up/usage-model")
            #expect(try await Self.chat(client, key: plain, model: "anything").headers[.init("x-switchyard-target")!] == "up/gpt-4o")
            #expect(upstream.received.map { $0["model"] as? String } == ["usage-model", "usage-model", "gpt-4o"])
        }
    }

    @Test("the management API needs the master key or an admin's key")
    func managementNeedsAdmin() async throws {
        try await Self.withGateway { client, _ in
            let key = try #require(try await Self.admin(client, "/key/generate", "{}")["key"] as? String)
            try await Self.admin(client, "/key/generate", "{}", key: key, expect: .forbidden)
            // A key may read its own record.
            let own = try await Self.admin(client, "/key/info", method: .get, key: key)
            #expect(own["key"] as? String == VirtualKey.hash(key))
            try await Self.admin(client, "/key/generate", "{}", key: "sk-wrong", expect: .unauthorized)
            try await Self.admin(client, "/key/generate", #"{"max_budget": "lots"}"#, expect: .badRequest)

            let admin = try await Self.admin(client, "/user/new", #"{"user_id": "ops", "user_role": "proxy_admin"}"#)
            let adminKey = try #require(admin["key"] as? String)
            _ = try await Self.admin(client, "/key/generate", "{}", key: adminKey)
        }
        try await Self.withGateway(masterKey: nil) { client, _ in
            _ = try await Self.admin(client, "/key/generate", "{}", key: "anything", expect: .forbidden)
        }
    }
}
