import SwitchyardCore

/// Spend, written where LiteLLM writes it: increments on the key (and LiteLLM's `total_spend`
/// and `last_active` where the schema has them), the key's team membership, team, user and end
/// user; one `LiteLLM_SpendLogs` row per request; the daily rollups (`LiteLLMDailySpend`).
extension LiteLLMStore {
    /// Rows per multi-row `INSERT` of spend logs (18 parameters each).
    static let logRowsPerStatement = 50

    public func record(_ batch: SpendBatch) async throws {
        guard !batch.isEmpty else { return }
        try await database.transaction { tx in
            // The order LiteLLM takes row locks in, each sorted by id: team, user, end user, membership, key.
            for (id, amount) in batch.teams.sorted(by: { $0.key < $1.key }) {
                try await tx.query("UPDATE \"LiteLLM_TeamTable\" SET spend = spend + $1 WHERE team_id = $2", .double(amount), .text(id))
            }
            for (id, amount) in batch.users.sorted(by: { $0.key < $1.key }) {
                try await tx.query("UPDATE \"LiteLLM_UserTable\" SET spend = spend + $1 WHERE user_id = $2", .double(amount), .text(id))
            }
            // Customers are created on first spend, as LiteLLM does.
            for (id, amount) in batch.endUsers.sorted(by: { $0.key < $1.key }) where !id.utf8.contains(0) {
                try await tx.query(
                    """
                    INSERT INTO "LiteLLM_EndUserTable" (user_id, spend, blocked) VALUES ($1, $2, false)
                    ON CONFLICT (user_id) DO UPDATE SET spend = "LiteLLM_EndUserTable".spend + EXCLUDED.spend
                    """, .text(id), .double(amount))
            }
            let keys = batch.keys.sorted(by: { $0.key < $1.key })
            for (token, amount) in keys { try await self.addMembershipSpend(token: token, amount: amount, tx) }
            for (token, amount) in keys {
                var set = "spend = spend + $1"
                if self.schema.keyTotalSpend { set += ", total_spend = total_spend + $1" }
                if self.schema.keyLastActive { set += ", last_active = (now() AT TIME ZONE 'UTC')" }
                try await tx.query("UPDATE \"LiteLLM_VerificationToken\" SET \(set) WHERE token = $2", .double(amount), .text(token))
            }
            var start = 0
            while start < batch.logs.count {
                let rows = batch.logs[start..<min(start + Self.logRowsPerStatement, batch.logs.count)]
                try await Self.insertLogs(rows, tx)
                start += rows.count
            }
            try await LiteLLMDailySpend(batch.logs, timing: self.schema.dailyTiming).write(tx)
        }
    }

    /// The spend of a key with a team and a user also counts against that user's membership of the
    /// team (LiteLLM's per-member team budgets); the row is created only while the user is on the
    /// team's roster, as LiteLLM does.
    private func addMembershipSpend(token: String, amount: Double, _ tx: any SQLExecutor) async throws {
        let total = schema.membershipTotalSpend
        try await tx.query(
            """
            INSERT INTO "LiteLLM_TeamMembership" (user_id, team_id, spend\(total ? ", total_spend" : ""))
            SELECT v.user_id, v.team_id, $1\(total ? ", $1" : "") FROM "LiteLLM_VerificationToken" v
            WHERE v.token = $2 AND v.team_id IS NOT NULL AND v.user_id IS NOT NULL AND (
              EXISTS (SELECT 1 FROM "LiteLLM_TeamTable" t WHERE t.team_id = v.team_id
                AND t.members_with_roles @> jsonb_build_array(jsonb_build_object('user_id', v.user_id)))
              OR EXISTS (SELECT 1 FROM "LiteLLM_TeamMembership" m WHERE m.user_id = v.user_id AND m.team_id = v.team_id))
            ON CONFLICT (user_id, team_id) DO UPDATE SET spend = "LiteLLM_TeamMembership".spend + EXCLUDED.spend\(
              total ? ", total_spend = GREATEST(\"LiteLLM_TeamMembership\".total_spend, \"LiteLLM_TeamMembership\".spend) + EXCLUDED.total_spend" : "")
            """, .double(amount), .text(token))
    }

    /// LiteLLM's names for the calls Switchyard serves (its spend logs' `call_type`), and the
    /// endpoint its daily tables record for them.
    static func litellmCall(_ callType: String) -> (callType: String, endpoint: String?) {
        switch callType {
        case "chat_completion": ("acompletion", "/chat/completions")
        case "embeddings": ("aembedding", "/embeddings")
        default: (callType, nil)
        }
    }

    /// The SQL type of each spend-log value, in `insertLogs`' order (`time`: seconds to a timestamp).
    private static let logColumnTypes = [
        "text", "text", "text", "float8", "int8", "int8", "int8", "time", "time", "int8", "text", "text", "text", "text", "jsonb", "text", "text",
        "text",
    ]

    /// Rows as LiteLLM writes them: absent ids are empty strings, messages and response stay
    /// empty; the key's alias, team and user go in `metadata` under LiteLLM's names.
    private static func insertLogs(_ rows: ArraySlice<SpendLogEntry>, _ tx: any SQLExecutor) async throws {
        var binds: [SQLValue] = []
        var tuples: [String] = []
        for entry in rows {
            let texts = [entry.requestID, litellmCall(entry.callType).callType, entry.keyHash ?? ""].map(JSONColumn.storable)
            let names = [entry.model, entry.modelGroup, entry.provider ?? "", entry.userID ?? ""].map(JSONColumn.storable)
            let ids = [entry.teamID ?? "", entry.endUser ?? "", entry.status].map(JSONColumn.storable)
            var values: [SQLValue] = texts.map { .text($0) }
            values += [.double(entry.spend), .int(entry.totalTokens), .int(entry.promptTokens), .int(entry.completionTokens)]
            values += [.double(entry.startTime), .double(entry.endTime), .int(Int(entry.durationMs.rounded()))]
            values += names.map { .text($0) }
            values.append(.text(metadata(entry)))
            values += ids.map { .text($0) }
            let first = binds.count
            binds.append(contentsOf: values)
            let placeholders = logColumnTypes.enumerated().map { index, cast -> String in
                let parameter = "$\(first + index + 1)"
                return cast == "time" ? timestamp(parameter) : parameter + "::" + cast
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        try await tx.query(
            """
            INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens,
              "startTime", "endTime", request_duration_ms, model, model_group, custom_llm_provider, "user", metadata, team_id, end_user, status)
            VALUES \(tuples.joined(separator: ", ")) ON CONFLICT (request_id) DO NOTHING
            """, binds)
    }

    /// The spend log's `metadata`: LiteLLM's key fields, and Switchyard's HTTP status and pipeline path.
    static func metadata(_ entry: SpendLogEntry) -> String {
        var fields: [(key: String, value: JSONValue)] = []
        func add(_ key: String, _ value: String?) {
            if let value { fields.append((key, .string(JSONColumn.storable(value)))) }
        }
        add("user_api_key", entry.keyHash)
        add("user_api_key_alias", entry.keyAlias)
        add("user_api_key_team_id", entry.teamID)
        add("user_api_key_user_id", entry.userID)
        add("user_api_key_end_user_id", entry.endUser)
        add("status", entry.status)
        if entry.status != "success" {
            fields.append(("error_information", .object(JSONObject([("error_code", .string(String(entry.httpStatus)))]))))
        }
        fields.append(("switchyard_http_status", .number(String(entry.httpStatus))))
        add("switchyard_pipeline_path", entry.pipelinePath)
        return JSONColumn.text(JSONObject(fields))
    }
}
