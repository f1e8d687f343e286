import SwitchyardCore

/// LiteLLM's daily rollups, which its usage pages read: `LiteLLM_DailyUserSpend` (every request;
/// user `''` for a key without one), `LiteLLM_DailyTeamSpend` (requests of keys with a team),
/// `LiteLLM_DailyEndUserSpend` (requests naming an end user). Rows are keyed as LiteLLM keys them
/// (entity, day, key hash, model, provider, tool, endpoint; NULLs as `''`) and written with one
/// multi-row upsert per table that adds to the day's counters, the statement LiteLLM runs.
struct LiteLLMDailySpend {
    struct Key: Hashable, Comparable {
        var entity: String
        var date: String
        var apiKey: String
        var model: String
        var provider: String
        var endpoint: String

        static func < (a: Key, b: Key) -> Bool {
            (a.entity, a.date, a.apiKey, a.model, a.provider, a.endpoint) < (b.entity, b.date, b.apiKey, b.model, b.provider, b.endpoint)
        }
    }

    struct Counters {
        var modelGroup: String
        var promptTokens = 0
        var completionTokens = 0
        var spend: Double = 0
        var requests = 0
        var successes = 0
        var failures = 0
        /// Time of successful requests only, as LiteLLM counts it.
        var responseTimeMs = 0
        var timedRequests = 0
    }

    /// Table → its entity column and rows.
    private(set) var tables: [(table: String, column: String, rows: [Key: Counters])] = [
        ("LiteLLM_DailyUserSpend", "user_id", [:]),
        ("LiteLLM_DailyTeamSpend", "team_id", [:]),
        ("LiteLLM_DailyEndUserSpend", "end_user_id", [:]),
    ]
    let timing: Bool

    /// - Parameter timing: whether the tables have `total_response_time_ms` and `timed_requests`.
    init(_ logs: [SpendLogEntry], timing: Bool) {
        self.timing = timing
        for entry in logs {
            add(entry, to: 0, entity: entry.userID ?? "")
            if let team = entry.teamID { add(entry, to: 1, entity: team) }
            if let endUser = entry.endUser, !endUser.isEmpty { add(entry, to: 2, entity: endUser) }
        }
    }

    private mutating func add(_ entry: SpendLogEntry, to table: Int, entity: String) {
        let day = CivilDate(daysSince1970: Int((entry.startTime / 86_400).rounded(.down))).formatted()
        let key = Key(
            entity: JSONColumn.storable(entity), date: day, apiKey: entry.keyHash ?? "", model: JSONColumn.storable(entry.model),
            provider: entry.provider ?? "", endpoint: LiteLLMStore.litellmCall(entry.callType).endpoint ?? "")
        var counters = tables[table].rows[key] ?? Counters(modelGroup: JSONColumn.storable(entry.modelGroup))
        counters.promptTokens += entry.promptTokens
        counters.completionTokens += entry.completionTokens
        counters.spend += entry.spend
        counters.requests += 1
        if entry.status == "success" {
            counters.successes += 1
            counters.responseTimeMs += Int(entry.durationMs.rounded())
            counters.timedRequests += 1
        } else {
            counters.failures += 1
        }
        tables[table].rows[key] = counters
    }

    /// Rows per statement.
    static let rowsPerStatement = 50

    func write(_ tx: any SQLExecutor) async throws {
        for (table, column, rows) in tables where !rows.isEmpty {
            // Sorted, so concurrent writers lock rows in the same order.
            let sorted = rows.sorted { $0.key < $1.key }
            var start = 0
            while start < sorted.count {
                let chunk = sorted[start..<min(start + Self.rowsPerStatement, sorted.count)]
                try await upsert(table: table, column: column, chunk, tx)
                start += chunk.count
            }
        }
    }

    private func upsert(table: String, column: String, _ rows: ArraySlice<(key: Key, value: Counters)>, _ tx: any SQLExecutor) async throws {
        var counters = ["prompt_tokens", "completion_tokens", "api_requests", "successful_requests", "failed_requests"]
        if timing { counters += ["total_response_time_ms", "timed_requests"] }
        var binds: [SQLValue] = []
        var tuples: [String] = []
        for (key, value) in rows {
            var values: [SQLValue] = [
                .text(key.entity), .text(key.date), .text(key.apiKey), .text(key.model), .text(key.provider), .text(key.endpoint),
                .text(value.modelGroup), .double(value.spend), .int(value.promptTokens), .int(value.completionTokens), .int(value.requests),
                .int(value.successes), .int(value.failures),
            ]
            if timing { values += [.int(value.responseTimeMs), .int(value.timedRequests)] }
            let n = binds.count
            binds += values
            let placeholders = values.indices.map { index in
                "$\(n + index + 1)::" + (index < 7 ? "text" : index == 7 ? "float8" : "int8")
            }
            tuples.append("(gen_random_uuid()::text, '', " + placeholders.joined(separator: ", ") + ", (now() AT TIME ZONE 'UTC'))")
        }
        let additions = (["spend"] + counters).map { "\($0) = \"\(table)\".\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
        try await tx.query(
            """
            INSERT INTO "\(table)" (id, mcp_namespaced_tool_name, \(column), date, api_key, model, custom_llm_provider, endpoint, model_group,
              spend, \(counters.joined(separator: ", ")), updated_at)
            VALUES \(tuples.joined(separator: ", "))
            ON CONFLICT (\(column), date, api_key, model, custom_llm_provider, mcp_namespaced_tool_name, endpoint)
            DO UPDATE SET \(additions), updated_at = (now() AT TIME ZONE 'UTC')
            """, binds)
    }
}
