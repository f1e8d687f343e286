import Foundation
import Logging
import SwitchyardCore
import SwitchyardStore
import Testing

@Suite("Store (SQLite always; PostgreSQL with SWITCHYARD_TEST_POSTGRES_URL)")
struct StoreTests {
    static func key(_ secret: String = VirtualKey.generate(), alias: String? = nil, team: String? = nil) -> KeyRecord {
        var key = KeyRecord(token: VirtualKey.hash(secret), keyName: VirtualKey.displayName(secret))
        key.alias = alias
        key.teamID = team
        key.createdAt = 1_700_000_000
        key.updatedAt = 1_700_000_000
        return key
    }

    @Test("the key hash is SHA-256 hex of the whole key, as LiteLLM stores it", arguments: ["sk-1234", "sk-ünïcødé", VirtualKey.generate()])
    func keyHash(key: String) {
        #expect(VirtualKey.hash(key) == Self.sha256sum(key))
        #expect(VirtualKey.token(forReference: key) == VirtualKey.hash(key))
        #expect(VirtualKey.token(forReference: VirtualKey.hash(key)) == VirtualKey.hash(key))
    }

    /// `sha256sum` from coreutils, so the expected value does not come from the code under test.
    static func sha256sum(_ text: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try! process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try! input.fileHandleForWriting.close()
        process.waitUntilExit()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    @Test("generated keys are sk- and 32 random bytes, all different")
    func generatedKeys() {
        let keys = (0..<1_000).map { _ in VirtualKey.generate() }
        #expect(Set(keys).count == keys.count)
        for key in keys {
            #expect(key.hasPrefix("sk-"))
            #expect(key.count == 3 + 43)  // 32 bytes in unpadded base64url
        }
    }

    @Test("migrations create the schema once; a second start applies nothing", arguments: StoreBackend.available)
    func migrations(backend: StoreBackend) async throws {
        let (store, url) = try await backend.open()
        await store.close()
        let again = try await StoreFactory.open(url: url, logger: Logger(label: "test"))
        await again.close()
        let database = try await StoreBackend.database(url)
        let versions = try await database.query("SELECT version FROM sy_schema_migrations")
        await database.close()
        #expect(versions.map { $0["version"].int } == [1, 2])
    }

    @Test("a failing migration stops the start and leaves nothing of itself behind", arguments: StoreBackend.available)
    func failedMigration(backend: StoreBackend) async throws {
        let url = try await backend.freshURL()
        let database = try await StoreBackend.database(url)
        // A table in the way makes migration 1's third statement fail after two succeeded.
        try await database.query("CREATE TABLE sy_end_users (unrelated TEXT)")
        await #expect {
            _ = try await StoreFactory.open(url: url, logger: Logger(label: "test"))
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .migrationFailed && error.message.contains("schema migration 1") && error.message.contains("rolled back")
        }
        let teams = try await database.query(
            backend == .sqlite
                ? "SELECT name FROM sqlite_master WHERE name = 'sy_teams'"
                : "SELECT table_name AS name FROM information_schema.tables WHERE table_name = 'sy_teams'")
        let versions = try await database.query("SELECT version FROM sy_schema_migrations")
        await database.close()
        #expect(teams.isEmpty, "the first statements of the failed migration were rolled back")
        #expect(versions.isEmpty)
    }

    @Test("keys round-trip every field; aliases are unique", arguments: StoreBackend.available)
    func keysRoundTrip(backend: StoreBackend) async throws {
        let (store, _) = try await backend.open()
        defer { Task { await store.close() } }
        var key = Self.key(alias: "app-1", team: "t1")
        key.models = ["gpt-4o", "claude-*", "all-team-models"]
        key.limits.maxBudget = 12.5
        key.limits.budgetDuration = "30d"
        key.limits.budgetResetAt = 1_702_592_000.25
        key.limits.rpm = 60
        key.limits.tpm = 10_000
        key.limits.maxParallel = 3
        key.expires = 1_800_000_000
        key.metadata = JSONObject([("tier", "gold"), ("n", .number("3"))])
        key.aliases = ["fast": "gpt-4o-mini"]
        try await store.insert(key)
        #expect(try await store.key(token: key.token) == key)

        await #expect(throws: StoreError.self) { try await store.insert(Self.key(alias: "app-1")) }

        key.blocked = true
        key.limits.spend = 999  // update never writes spend
        try await store.update(key)
        let read = try #require(try await store.key(token: key.token))
        #expect(read.blocked)
        #expect(read.limits.spend == 0)

        #expect(try await store.deleteKeys(tokens: [key.token, "missing"]) == [key.token])
        #expect(try await store.key(token: key.token) == nil)
    }

    @Test("quotes, unicode, 10 kB values and NUL-bearing metadata are stored and matched exactly", arguments: StoreBackend.available)
    func awkwardValues(backend: StoreBackend) async throws {
        let (store, _) = try await backend.open()
        defer { Task { await store.close() } }
        let awkward = [
            "O'Brien \"quoted\" ; DROP TABLE sy_keys; --",
            "ünïcødé ✓ 日本語 🚀",
            String(repeating: "x", count: 10_240),
            "$1 ?1 %s \\ backslash",
        ]
        for (i, alias) in awkward.enumerated() {
            var key = Self.key("sk-awkward-\(i)-" + alias, alias: alias, team: alias)
            key.metadata = JSONObject([("note", .string(alias + "\u{0}after-nul")), (alias, .string("key is odd"))])
            try await store.insert(key)
            var filter = KeyFilter()
            filter.alias = alias
            let found = try await store.keys(filter).keys
            #expect(found.count == 1)
            #expect(found.first == key)
            #expect(found.first?.metadata["note"]?.stringValue == alias + "\u{0}after-nul")
            #expect(try await store.key(token: VirtualKey.hash("sk-awkward-\(i)-" + alias)) == key)
        }
        // A NUL cannot live in a text column of either database: refused, never truncated.
        await #expect { try await store.insert(Self.key(alias: "before\u{0}after")) } throws: { error in
            (error as? StoreError)?.code == .invalidValue
        }
        #expect(try await store.keys(KeyFilter()).total == awkward.count)
    }

    @Test("spend accrues atomically to key, team, user, end user and model; logs are kept", arguments: StoreBackend.available)
    func spend(backend: StoreBackend) async throws {
        let (store, url) = try await backend.open()
        defer { Task { await store.close() } }
        var team = TeamRecord(teamID: "team-a")
        team.createdAt = 1
        team.updatedAt = 1
        try await store.insert(team)
        var user = UserRecord(userID: "user-a")
        user.createdAt = 1
        user.updatedAt = 1
        try await store.insert(user)
        var record = Self.key(team: "team-a")
        record.userID = "user-a"
        try await store.insert(record)
        let key = record

        // Two stores on one database (two replicas), writing at the same time.
        let second = try await StoreFactory.open(url: url, logger: Logger(label: "test"))
        defer { Task { await second.close() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, replica) in [store, second].enumerated() {
                group.addTask {
                    for i in 0..<25 {
                        var batch = SpendBatch()
                        batch.keys[key.token] = 0.25
                        batch.teams["team-a"] = 0.25
                        batch.users["user-a"] = 0.25
                        batch.endUsers["customer-1"] = 0.25
                        batch.models["gpt-4o"] = 0.25
                        var entry = SpendLogEntry(
                            requestID: "r-\(n)-\(i)", callType: "chat_completion", model: "gpt-4o-2024-08-06", modelGroup: "gpt-4o",
                            status: "success", httpStatus: 200, durationMs: 12, startTime: 1_764_547_200 + Double(i), endTime: 1_764_547_201 + Double(i))
                        entry.keyHash = key.token
                        entry.teamID = "team-a"
                        entry.spend = 0.25
                        entry.promptTokens = 10
                        entry.completionTokens = 5
                        batch.logs = [entry]
                        try await replica.record(batch)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.key(token: key.token)?.limits.spend == 12.5)
        #expect(try await store.team(id: "team-a")?.limits.spend == 12.5)
        #expect(try await store.user(id: "user-a")?.limits.spend == 12.5)
        #expect(try await store.endUser(id: "customer-1")?.limits.spend == 12.5)
        #expect(try await store.modelSpend().first?.spend == 12.5)

        var filter = SpendLogFilter()
        filter.keyToken = key.token
        let logs = try await store.spendLogs(filter)
        #expect(logs.count == 50)
        #expect(logs.allSatisfy { $0.totalTokens == 15 && $0.spend == 0.25 })
        // 2025-12-01 (1764547200 s) is the day of every row.
        let report = try await store.spendReport(SpendLogFilter(), groupBy: .team)
        #expect(report == [SpendReportRow(date: "2025-12-01", group: "team-a", spend: 12.5, requests: 50, promptTokens: 500, completionTokens: 250)])
        #expect(try await store.pruneSpendLogs(before: 1_764_547_210) == 20)
    }

    @Test("budgets whose period ended are reset to zero and rescheduled, once", arguments: StoreBackend.available)
    func budgetReset(backend: StoreBackend) async throws {
        let (store, _) = try await backend.open()
        defer { Task { await store.close() } }
        var due = Self.key(alias: "due")
        due.limits.budgetDuration = "1h"
        due.limits.budgetResetAt = 1_000
        var later = Self.key(alias: "later")
        later.limits.budgetDuration = "1h"
        later.limits.budgetResetAt = 5_000
        try await store.insert(due)
        try await store.insert(later)
        var batch = SpendBatch()
        batch.keys = [due.token: 3, later.token: 4]
        try await store.record(batch)

        #expect(try await store.resetBudgets(now: 2_000) == 1)
        #expect(try await store.resetBudgets(now: 2_000) == 0)
        let reset = try #require(try await store.key(token: due.token))
        #expect(reset.limits.spend == 0)
        #expect(reset.limits.budgetResetAt == Double(2_000 + 3_600))
        #expect(try await store.key(token: later.token)?.limits.spend == 4)
    }
}
