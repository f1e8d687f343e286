import SwitchyardCore

/// Rows ↔ records, by column name: both stores select their columns under these names
/// (JSON text columns through `JSONColumn`).
enum StoreRows {
    static func limits(_ row: SQLRow) -> BudgetLimits {
        var limits = BudgetLimits()
        limits.maxBudget = row["max_budget"].double
        limits.budgetDuration = row["budget_duration"].text
        limits.budgetResetAt = row["budget_reset_at"].double
        limits.spend = row["spend"].double ?? 0
        limits.rpm = row["rpm_limit"].int
        limits.tpm = row["tpm_limit"].int
        limits.maxParallel = row["max_parallel_requests"].int
        return limits
    }

    static func key(_ row: SQLRow) -> KeyRecord {
        var key = KeyRecord(token: row["token"].text ?? "", keyName: row["key_name"].text ?? "")
        key.alias = row["key_alias"].text
        key.teamID = row["team_id"].text
        key.userID = row["user_id"].text
        key.models = JSONColumn.list(row["models"].text)
        key.limits = limits(row)
        key.expires = row["expires"].double
        key.blocked = (row["blocked"].int ?? 0) != 0
        key.metadata = JSONColumn.object(row["metadata"].text)
        key.aliases = JSONColumn.map(row["aliases"].text)
        key.createdAt = row["created_at"].double ?? 0
        key.updatedAt = row["updated_at"].double ?? 0
        return key
    }

    static func team(_ row: SQLRow) -> TeamRecord {
        var team = TeamRecord(teamID: row["team_id"].text ?? "")
        team.alias = row["team_alias"].text
        team.models = JSONColumn.list(row["models"].text)
        team.limits = limits(row)
        team.blocked = (row["blocked"].int ?? 0) != 0
        team.metadata = JSONColumn.object(row["metadata"].text)
        team.createdAt = row["created_at"].double ?? 0
        team.updatedAt = row["updated_at"].double ?? 0
        return team
    }

    static func user(_ row: SQLRow) -> UserRecord {
        var user = UserRecord(userID: row["user_id"].text ?? "")
        user.email = row["user_email"].text
        user.role = row["user_role"].text
        user.models = JSONColumn.list(row["models"].text)
        user.limits = limits(row)
        user.metadata = JSONColumn.object(row["metadata"].text)
        user.createdAt = row["created_at"].double ?? 0
        user.updatedAt = row["updated_at"].double ?? 0
        return user
    }

    static func endUser(_ row: SQLRow) -> EndUserRecord {
        var endUser = EndUserRecord(userID: row["user_id"].text ?? "")
        endUser.limits = limits(row)
        endUser.blocked = (row["blocked"].int ?? 0) != 0
        endUser.createdAt = row["created_at"].double ?? 0
        endUser.updatedAt = row["updated_at"].double ?? 0
        return endUser
    }

    static func spendLog(_ row: SQLRow) -> SpendLogEntry {
        var entry = SpendLogEntry(
            requestID: row["request_id"].text ?? "", callType: row["call_type"].text ?? "", model: row["model"].text ?? "",
            modelGroup: row["model_group"].text ?? "", status: row["status"].text ?? "", httpStatus: row["http_status"].int ?? 0,
            durationMs: row["duration_ms"].double ?? 0, startTime: row["start_time"].double ?? 0,
            endTime: row["end_time"].double ?? 0)
        entry.keyHash = row["api_key"].text
        entry.keyAlias = row["key_alias"].text
        entry.teamID = row["team_id"].text
        entry.userID = row["user_id"].text
        entry.endUser = row["end_user"].text
        entry.provider = row["provider"].text
        entry.promptTokens = row["prompt_tokens"].int ?? 0
        entry.completionTokens = row["completion_tokens"].int ?? 0
        entry.spend = row["spend"].double ?? 0
        entry.pipelinePath = row["pipeline_path"].text
        return entry
    }

    /// A report row: `day` (days since 1970, UTC), `grp`, `spend`, `requests`, token sums.
    static func spendReport(_ row: SQLRow) -> SpendReportRow {
        SpendReportRow(
            date: CivilDate(daysSince1970: row["day"].int ?? 0).formatted(), group: row["grp"].text, spend: row["spend"].double ?? 0,
            requests: row["requests"].int ?? 0, promptTokens: row["prompt_tokens"].int ?? 0,
            completionTokens: row["completion_tokens"].int ?? 0)
    }
}
