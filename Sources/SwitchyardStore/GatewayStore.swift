/// Where keys, teams, users, end users and spend live. `NativeStore` implements it on SQLite or
/// PostgreSQL with Switchyard's own schema, `LiteLLMStore` on a LiteLLM proxy's PostgreSQL tables;
/// the server only sees this protocol.
public protocol GatewayStore: Sendable {
    /// Brings the schema up to date (`NativeStore`: pending migrations, each in one transaction,
    /// never half-applied) or checks it (`LiteLLMStore`: LiteLLM's migrations own its tables).
    func migrate() async throws
    func close() async

    func key(token: String) async throws -> KeyRecord?
    func keys(_ filter: KeyFilter) async throws -> (keys: [KeyRecord], total: Int)
    /// - Throws: `StoreError.conflict` when the token or alias exists.
    func insert(_ key: KeyRecord) async throws
    /// Writes everything but `spend` (spend only moves by increments).
    func update(_ key: KeyRecord) async throws
    /// Returns the tokens that existed.
    func deleteKeys(tokens: [String]) async throws -> [String]

    func team(id: String) async throws -> TeamRecord?
    func teams() async throws -> [TeamRecord]
    func insert(_ team: TeamRecord) async throws
    func update(_ team: TeamRecord) async throws
    func deleteTeams(ids: [String]) async throws -> [String]

    func user(id: String) async throws -> UserRecord?
    func insert(_ user: UserRecord) async throws
    func update(_ user: UserRecord) async throws
    func deleteUsers(ids: [String]) async throws -> [String]

    func endUser(id: String) async throws -> EndUserRecord?
    func insert(_ endUser: EndUserRecord) async throws
    func update(_ endUser: EndUserRecord) async throws
    func deleteEndUsers(ids: [String]) async throws -> [String]

    /// Adds a batch of spend (atomic increments) and its log rows, in one transaction.
    func record(_ batch: SpendBatch) async throws
    /// Zeroes the spend of every row whose period ended by `now` and schedules its next reset.
    /// - Returns: how many rows were reset.
    @discardableResult
    func resetBudgets(now: Double) async throws -> Int
    func spendLogs(_ filter: SpendLogFilter) async throws -> [SpendLogEntry]
    func spendReport(_ filter: SpendLogFilter, groupBy: SpendGroup) async throws -> [SpendReportRow]
    func modelSpend() async throws -> [(model: String, spend: Double)]
    /// Deletes log rows that started before `time`. - Returns: how many.
    @discardableResult
    func pruneSpendLogs(before time: Double) async throws -> Int
}

public struct KeyFilter: Sendable {
    public var teamID: String?
    public var userID: String?
    public var alias: String?
    public var page = 1
    public var size = 100
    public init() {}
}

public struct SpendLogFilter: Sendable {
    public var keyToken: String?
    public var teamID: String?
    public var userID: String?
    public var requestID: String?
    /// Seconds since 1970; rows with `start_time` in [from, to).
    public var from: Double?
    public var to: Double?
    public var limit = 1_000
    public init() {}
}

public enum SpendGroup: String, Sendable, CaseIterable {
    case team, key = "api_key", user, customer, model
}

public struct SpendReportRow: Sendable, Equatable {
    /// Day (UTC, `YYYY-MM-DD`).
    public var date: String
    public var group: String?
    public var spend: Double
    public var requests: Int
    public var promptTokens: Int
    public var completionTokens: Int

    public init(date: String, group: String?, spend: Double, requests: Int, promptTokens: Int, completionTokens: Int) {
        self.date = date
        self.group = group
        self.spend = spend
        self.requests = requests
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
