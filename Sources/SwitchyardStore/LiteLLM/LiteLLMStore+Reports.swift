/// Spend logs and reports, read from `LiteLLM_SpendLogs` (so LiteLLM's rows count too) and the
/// model totals from `LiteLLM_DailyUserSpend`, which holds every request.
extension LiteLLMStore {
    static let logSelect = """
        SELECT request_id, call_type, NULLIF(api_key, '') AS api_key, metadata->>'user_api_key_alias' AS key_alias,
          NULLIF(team_id, '') AS team_id, NULLIF("user", '') AS user_id, NULLIF(end_user, '') AS end_user, model,
          COALESCE(model_group, '') AS model_group, NULLIF(custom_llm_provider, '') AS provider, prompt_tokens, completion_tokens, spend,
          COALESCE(status, 'success') AS status,
          CASE WHEN metadata->>'switchyard_http_status' ~ '^[0-9]{3}$' THEN (metadata->>'switchyard_http_status')::int8
            WHEN status = 'failure' THEN 500 ELSE 200 END AS http_status,
          COALESCE(request_duration_ms, 0)::float8 AS duration_ms, metadata->>'switchyard_pipeline_path' AS pipeline_path,
          \(seconds("\"startTime\"")) AS start_time, \(seconds("\"endTime\"")) AS end_time
        FROM "LiteLLM_SpendLogs"
        """

    public func spendLogs(_ filter: SpendLogFilter) async throws -> [SpendLogEntry] {
        let (whereClause, binds) = filter.whereClause(user: "\"user\"", start: "\"startTime\"", time: Self.timestamp)
        return try await database.query(
            "\(Self.logSelect)\(whereClause) ORDER BY \"startTime\" DESC, request_id LIMIT \(max(1, min(filter.limit, 10_000)))", binds
        ).map(StoreRows.spendLog)
    }

    public func spendReport(_ filter: SpendLogFilter, groupBy: SpendGroup) async throws -> [SpendReportRow] {
        let (whereClause, binds) = filter.whereClause(user: "\"user\"", start: "\"startTime\"", time: Self.timestamp)
        let column = switch groupBy {
        case .team: "team_id"
        case .key: "api_key"
        case .user: "\"user\""
        case .customer: "end_user"
        case .model: "model_group"
        }
        let day = "FLOOR(\(Self.seconds("\"startTime\"")) / 86400)::int8"
        let rows = try await database.query(
            """
            SELECT \(day) AS day, NULLIF(\(column), '') AS grp, SUM(spend) AS spend, COUNT(*) AS requests,
              SUM(prompt_tokens)::int8 AS prompt_tokens, SUM(completion_tokens)::int8 AS completion_tokens
            FROM "LiteLLM_SpendLogs"\(whereClause) GROUP BY 1, 2 ORDER BY 1, 2
            """, binds)
        return rows.map(StoreRows.spendReport)
    }

    public func modelSpend() async throws -> [(model: String, spend: Double)] {
        try await database.query(
            """
            SELECT COALESCE(NULLIF(model_group, ''), model, '') AS model, SUM(spend) AS spend FROM "LiteLLM_DailyUserSpend"
            GROUP BY 1 ORDER BY 2 DESC, 1
            """
        ).map { ($0["model"].text ?? "", $0["spend"].double ?? 0) }
    }

    public func pruneSpendLogs(before time: Double) async throws -> Int {
        try await database.query(
            "DELETE FROM \"LiteLLM_SpendLogs\" WHERE \"startTime\" < \(Self.timestamp("$1")) RETURNING request_id", .double(time)
        ).count
    }
}
