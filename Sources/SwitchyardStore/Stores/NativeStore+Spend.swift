import Foundation
import SwitchyardCore

/// Spend: atomic increments, log rows, budget resets, reports.
extension NativeStore {
    /// Rows per multi-row `INSERT` of spend logs (`logColumns` parameters each).
    static let logRowsPerStatement = 50

    /// Columns of a `sy_spend_logs` row.
    static let logColumns = 20

    /// `$0` … `$1000`: the parameters of a full log statement, made once instead of per row.
    private static let logParameters = (0...(logRowsPerStatement * logColumns)).map { "$\($0)" }

    public func record(_ batch: SpendBatch) async throws {
        guard !batch.isEmpty else { return }
        let now = WallClock.now()
        try await database.transaction { tx in
            for (token, amount) in batch.keys.sorted(by: { $0.key < $1.key }) {
                try await tx.query("UPDATE sy_keys SET spend = spend + $1 WHERE token = $2", .double(amount), .text(token))
            }
            for (id, amount) in batch.teams.sorted(by: { $0.key < $1.key }) {
                try await tx.query("UPDATE sy_teams SET spend = spend + $1 WHERE team_id = $2", .double(amount), .text(id))
            }
            for (id, amount) in batch.users.sorted(by: { $0.key < $1.key }) {
                try await tx.query("UPDATE sy_users SET spend = spend + $1 WHERE user_id = $2", .double(amount), .text(id))
            }
            // End users are created on first spend, as LiteLLM does for its customers.
            for (id, amount) in batch.endUsers.sorted(by: { $0.key < $1.key }) where !id.utf8.contains(0) {
                try await tx.query(
                    """
                    INSERT INTO sy_end_users (user_id, spend, created_at, updated_at) VALUES ($1, $2, $3, $3)
                    ON CONFLICT (user_id) DO UPDATE SET spend = sy_end_users.spend + excluded.spend, updated_at = excluded.updated_at
                    """, .text(id), .double(amount), .double(now))
            }
            for (model, amount) in batch.models.sorted(by: { $0.key < $1.key }) {
                try await tx.query(
                    """
                    INSERT INTO sy_model_spend (model, spend, updated_at) VALUES ($1, $2, $3)
                    ON CONFLICT (model) DO UPDATE SET spend = sy_model_spend.spend + excluded.spend, updated_at = excluded.updated_at
                    """, .text(model), .double(amount), .double(now))
            }
            var start = 0
            while start < batch.logs.count {
                let rows = batch.logs[start..<min(start + Self.logRowsPerStatement, batch.logs.count)]
                try await Self.insertLogs(rows, tx)
                start += rows.count
            }
        }
    }

    private static func insertLogs(_ rows: ArraySlice<SpendLogEntry>, _ tx: any SQLExecutor) async throws {
        var binds: [SQLValue] = []
        var tuples: [String] = []
        for entry in rows {
            let values: [SQLValue] = [
                .text(entry.requestID), .text(entry.callType), SQLValue(entry.keyHash), SQLValue(entry.keyAlias),
                SQLValue(entry.teamID), SQLValue(entry.userID), SQLValue(entry.endUser), .text(entry.model), .text(entry.modelGroup),
                SQLValue(entry.provider), .int(entry.promptTokens), .int(entry.completionTokens), .int(entry.totalTokens),
                .double(entry.spend), .text(entry.status), .int(entry.httpStatus), .double(entry.durationMs),
                SQLValue(entry.pipelinePath), .double(entry.startTime), .double(entry.endTime),
            ].map { value in
                // A NUL cannot be stored in a text column; a log row must not fail the batch for it.
                if case .text(let text) = value { return .text(JSONColumn.storable(text)) }
                return value
            }
            assert(values.count == logColumns)
            let first = binds.count
            binds.append(contentsOf: values)
            tuples.append("(" + Self.logParameters[(first + 1)...(first + values.count)].joined(separator: ", ") + ")")
        }
        try await tx.query(
            """
            INSERT INTO sy_spend_logs (request_id, call_type, api_key, key_alias, team_id, user_id, end_user, model, model_group,
              provider, prompt_tokens, completion_tokens, total_tokens, spend, status, http_status, duration_ms, pipeline_path,
              start_time, end_time)
            VALUES \(tuples.joined(separator: ", ")) ON CONFLICT (request_id) DO NOTHING
            """, binds)
    }

    public func resetBudgets(now: Double) async throws -> Int {
        var reset = 0
        for (table, id) in [("sy_keys", "token"), ("sy_teams", "team_id"), ("sy_users", "user_id"), ("sy_end_users", "user_id")] {
            let due = try await database.query(
                "SELECT \(id) AS id, budget_duration, budget_reset_at FROM \(table) WHERE budget_reset_at IS NOT NULL AND budget_reset_at <= $1",
                .double(now))
            for row in due {
                guard let rowID = row["id"].text, let old = row["budget_reset_at"].double else { continue }
                let next = row["budget_duration"].text.flatMap(BudgetPeriod.seconds).map { SQLValue.double(now + $0) } ?? .null
                // Conditional on the old reset time: of two replicas resetting at once, one wins.
                let updated = try await database.query(
                    "UPDATE \(table) SET spend = 0, budget_reset_at = $1 WHERE \(id) = $2 AND budget_reset_at = $3 RETURNING \(id)",
                    next, .text(rowID), .double(old))
                reset += updated.count
            }
        }
        return reset
    }

    public func spendLogs(_ filter: SpendLogFilter) async throws -> [SpendLogEntry] {
        let (whereClause, binds) = filter.whereClause(user: "user_id", start: "start_time")
        return try await database.query(
            "SELECT * FROM sy_spend_logs\(whereClause) ORDER BY start_time DESC, request_id LIMIT \(max(1, min(filter.limit, 10_000)))",
            binds
        ).map(StoreRows.spendLog)
    }

    public func spendReport(_ filter: SpendLogFilter, groupBy: SpendGroup) async throws -> [SpendReportRow] {
        let (whereClause, binds) = filter.whereClause(user: "user_id", start: "start_time")
        let column = switch groupBy {
        case .team: "team_id"
        case .key: "api_key"
        case .user: "user_id"
        case .customer: "end_user"
        case .model: "model_group"
        }
        let day = database.dialect == .postgres ? "FLOOR(start_time / 86400)::BIGINT" : "CAST(start_time / 86400 AS INTEGER)"
        let rows = try await database.query(
            """
            SELECT \(day) AS day, \(column) AS grp, SUM(spend) AS spend, COUNT(*) AS requests,
              CAST(SUM(prompt_tokens) AS BIGINT) AS prompt_tokens, CAST(SUM(completion_tokens) AS BIGINT) AS completion_tokens
            FROM sy_spend_logs\(whereClause) GROUP BY \(day), \(column) ORDER BY day, grp
            """, binds)
        return rows.map(StoreRows.spendReport)
    }

    public func modelSpend() async throws -> [(model: String, spend: Double)] {
        try await database.query("SELECT model, spend FROM sy_model_spend ORDER BY spend DESC, model").map {
            ($0["model"].text ?? "", $0["spend"].double ?? 0)
        }
    }

    public func pruneSpendLogs(before time: Double) async throws -> Int {
        try await database.query("DELETE FROM sy_spend_logs WHERE start_time < $1 RETURNING request_id", .double(time)).count
    }
}
