import Foundation
import SwitchyardCore
import SwitchyardStore

/// A management request's JSON body (or query), read field by field with LiteLLM's names; a
/// field of the wrong type is a 400 naming it.
struct ManagementBody {
    var object: JSONObject

    func has(_ field: String) -> Bool { object[field] != nil }

    func string(_ field: String) throws(GatewayError) -> String? {
        switch object[field] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw .wrongType(field, expected: "a string", got: other)
        }
    }

    func double(_ field: String) throws(GatewayError) -> Double? {
        switch object[field] {
        case nil, .null?: return nil
        case let value?:
            guard let number = value.doubleValue, number.isFinite, number >= 0 else { throw .wrongType(field, expected: "a non-negative number", got: value) }
            return number
        }
    }

    func int(_ field: String) throws(GatewayError) -> Int? {
        switch object[field] {
        case nil, .null?: return nil
        case let value?:
            guard let number = value.intValue, number >= 0 else { throw .wrongType(field, expected: "a non-negative integer", got: value) }
            return number
        }
    }

    func bool(_ field: String) throws(GatewayError) -> Bool? {
        switch object[field] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw .wrongType(field, expected: "a boolean", got: other)
        }
    }

    func strings(_ field: String) throws(GatewayError) -> [String]? {
        switch object[field] {
        case nil, .null?: return nil
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let value) = item else { throw .wrongType(field, expected: "a list of strings", got: item) }
                out.append(value)
            }
            return out
        case let other?: throw .wrongType(field, expected: "a list of strings", got: other)
        }
    }

    func object(_ field: String) throws(GatewayError) -> JSONObject? {
        switch object[field] {
        case nil, .null?: return nil
        case .object(let value)?: return value
        case let other?: throw .wrongType(field, expected: "an object", got: other)
        }
    }

    /// A duration such as `30d`, `1h`, `1mo`; `permanent`/nil for none.
    func period(_ field: String) throws(GatewayError) -> String? {
        guard let text = try string(field), text != "permanent" else { return nil }
        guard BudgetPeriod.seconds(text) != nil else {
            throw .invalidRequest("'\(field)' must be a duration such as 30s, 10m, 1h, 7d or 1mo", param: field)
        }
        return text
    }

    /// Applies the budget and rate-limit fields present in the body.
    func apply(to limits: inout BudgetLimits, now: Double) throws(GatewayError) {
        if has("max_budget") { limits.maxBudget = try double("max_budget") }
        if has("rpm_limit") { limits.rpm = try int("rpm_limit") }
        if has("tpm_limit") { limits.tpm = try int("tpm_limit") }
        if has("max_parallel_requests") { limits.maxParallel = try int("max_parallel_requests") }
        if has("budget_duration") {
            limits.budgetDuration = try period("budget_duration")
            limits.scheduleReset(from: now)
        }
    }
}

/// Records as LiteLLM's management API writes them.
enum ManagementJSON {
    static func time(_ seconds: Double?) -> JSONValue {
        guard let seconds else { return .null }
        return .string(Date(timeIntervalSince1970: seconds).formatted(.iso8601))
    }

    static func number(_ value: Double?) -> JSONValue { value.map { .number(String($0)) } ?? .null }
    static func number(_ value: Int?) -> JSONValue { value.map { .number($0) } ?? .null }
    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    static func limits(_ limits: BudgetLimits) -> [(String, JSONValue)] {
        [
            ("spend", .number(String(limits.spend))), ("max_budget", number(limits.maxBudget)),
            ("budget_duration", string(limits.budgetDuration)), ("budget_reset_at", time(limits.budgetResetAt)),
            ("rpm_limit", number(limits.rpm)), ("tpm_limit", number(limits.tpm)),
            ("max_parallel_requests", number(limits.maxParallel)),
        ]
    }

    /// A key; `key` is the key itself, only when it was just created.
    static func key(_ key: KeyRecord, secret: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if let secret { fields.append(("key", .string(secret))) }
        fields += [
            ("token", .string(key.token)), ("key_name", .string(key.keyName)), ("key_alias", string(key.alias)),
            ("team_id", string(key.teamID)), ("user_id", string(key.userID)), ("models", strings(key.models)),
        ]
        fields += limits(key.limits)
        fields += [
            ("expires", time(key.expires)), ("blocked", .bool(key.blocked)), ("metadata", .object(key.metadata)),
            ("aliases", .object(JSONObject(key.aliases.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
            ("created_at", time(key.createdAt)), ("updated_at", time(key.updatedAt)),
        ]
        return .object(JSONObject(fields))
    }

    static func team(_ team: TeamRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("team_id", .string(team.teamID)), ("team_alias", string(team.alias)), ("models", strings(team.models)),
        ]
        fields += limits(team.limits)
        fields += [
            ("blocked", .bool(team.blocked)), ("metadata", .object(team.metadata)),
            ("created_at", time(team.createdAt)), ("updated_at", time(team.updatedAt)),
        ]
        return .object(JSONObject(fields))
    }

    static func user(_ user: UserRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("user_id", .string(user.userID)), ("user_email", string(user.email)), ("user_role", string(user.role)),
            ("models", strings(user.models)),
        ]
        fields += limits(user.limits)
        fields += [("metadata", .object(user.metadata)), ("created_at", time(user.createdAt)), ("updated_at", time(user.updatedAt))]
        return .object(JSONObject(fields))
    }

    static func endUser(_ endUser: EndUserRecord) -> JSONValue {
        var fields: [(String, JSONValue)] = [("user_id", .string(endUser.userID)), ("blocked", .bool(endUser.blocked))]
        fields += limits(endUser.limits)
        return .object(JSONObject(fields))
    }

    static func spendLog(_ entry: SpendLogEntry) -> JSONValue {
        .object(JSONObject([
            ("request_id", .string(entry.requestID)), ("call_type", .string(entry.callType)), ("api_key", string(entry.keyHash)),
            ("spend", .number(String(entry.spend))), ("total_tokens", .number(entry.totalTokens)),
            ("prompt_tokens", .number(entry.promptTokens)), ("completion_tokens", .number(entry.completionTokens)),
            ("startTime", time(entry.startTime)), ("endTime", time(entry.endTime)), ("model", .string(entry.model)),
            ("model_group", .string(entry.modelGroup)), ("custom_llm_provider", string(entry.provider)), ("user", string(entry.userID)),
            ("team_id", string(entry.teamID)), ("end_user", string(entry.endUser)), ("status", .string(entry.status)),
            ("request_duration_ms", .number(String(entry.durationMs))),
            ("metadata", .object(JSONObject([
                ("user_api_key_alias", string(entry.keyAlias)), ("http_status", .number(entry.httpStatus)),
                ("pipeline_path", string(entry.pipelinePath)),
            ]))),
        ]))
    }
}
