import ArgumentParser
import Foundation
import Logging
import SwitchyardCore
import SwitchyardStore

/// `switchyard keys create|list|revoke`: virtual keys in the configured database, for people
/// without curl at hand. Works while the server runs (SQLite in WAL mode, or PostgreSQL).
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke virtual keys in the configured database.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Options: ParsableArguments {
        @Option(name: .shortAndLong, help: "Configuration file (its database: section, or LiteLLM's database_url).")
        var config = "pipelines/default.yaml"

        func withStore<T>(_ body: (any GatewayStore) async throws -> T) async throws -> T {
            let program = try loadProgram(path: config)
            guard let url = program.database.url else {
                printError("\(config): no database is configured (database.url, or LiteLLM's general_settings.database_url)")
                throw ExitCode(1)
            }
            let store: any GatewayStore
            do {
                store = try await StoreFactory.open(url: url, schema: program.database.schema, logger: Logger(label: "switchyard.keys"))
            } catch {
                printError("database: \(error)")
                throw ExitCode(1)
            }
            if program.settings.masterKey == nil {
                printError("note: \(config) sets no master key, so the server does not check keys yet")
            }
            do {
                let result = try await body(store)
                await store.close()
                return result
            } catch {
                await store.close()
                throw error
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; prints it once.")
        @OptionGroup var options: Options
        @Option(help: "Key alias (unique).") var alias: String?
        @Option(help: "Team id.") var team: String?
        @Option(help: "User id.") var user: String?
        @Option(help: "Allowed models, comma-separated (names or globs); default all.") var models: String?
        @Option(help: "Budget in USD.") var maxBudget: Double?
        @Option(help: "Budget period: 30d, 1h, 1mo…") var budgetDuration: String?
        @Option(help: "Expires after: 30d, 12h…") var duration: String?
        @Option(help: "Requests per minute.") var rpm: Int?
        @Option(help: "Tokens per minute.") var tpm: Int?

        func run() async throws {
            for (name, value) in [("--budget-duration", budgetDuration), ("--duration", duration)] {
                if let value, BudgetPeriod.seconds(value) == nil { throw ValidationError("\(name) must look like 30d, 12h or 1mo") }
            }
            let secret = VirtualKey.generate()
            let now = WallClock.now()
            var key = KeyRecord(token: VirtualKey.hash(secret), keyName: VirtualKey.displayName(secret))
            key.alias = alias
            key.teamID = team
            key.userID = user
            key.models = models?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            key.limits.maxBudget = maxBudget
            key.limits.budgetDuration = budgetDuration
            key.limits.scheduleReset(from: now)
            key.limits.rpm = rpm
            key.limits.tpm = tpm
            key.expires = duration.flatMap(BudgetPeriod.seconds).map { now + $0 }
            key.createdAt = now
            key.updatedAt = now
            try await options.withStore { store in
                do {
                    try await store.insert(key)
                } catch let error as StoreError {
                    printError("cannot create the key: \(error.message)")
                    throw ExitCode(1)
                }
            }
            print(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never the keys themselves).")
        @OptionGroup var options: Options
        @Option(help: "Only this team's keys.") var team: String?

        func run() async throws {
            var filter = KeyFilter()
            filter.teamID = team
            filter.size = 1_000
            let keys = try await options.withStore { try await $0.keys(filter).keys }
            print(["KEY", "ALIAS", "TEAM", "SPEND", "BUDGET", "STATE"].joined(separator: "\t"))
            let now = WallClock.now()
            for key in keys {
                let state = key.blocked ? "blocked" : key.isExpired(at: now) ? "expired" : "active"
                print([
                    key.keyName, key.alias ?? "-", key.teamID ?? "-", String(format: "%.6f", key.limits.spend),
                    key.limits.maxBudget.map { String($0) } ?? "-", state,
                ].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a key, named by the key, its SHA-256 or its alias.")
        @OptionGroup var options: Options
        @Argument(help: "The key (sk-…), its hash, or its alias.") var key: String

        func run() async throws {
            let deleted = try await options.withStore { store in
                var tokens = [VirtualKey.token(forReference: key)]
                var filter = KeyFilter()
                filter.alias = key
                tokens += try await store.keys(filter).keys.map(\.token)
                return try await store.deleteKeys(tokens: tokens)
            }
            guard !deleted.isEmpty else {
                printError("no such key")
                throw ExitCode(1)
            }
            print("revoked \(deleted.count) key\(deleted.count == 1 ? "" : "s"); servers stop accepting it within the key cache TTL")
        }
    }
}
