import Foundation
import SwitchyardCore
import SwitchyardStore

/// `/spend/logs`, `/global/spend/report`, `/global/spend/models`.
extension ManagementController {
    func spendLogs(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        var filter = try Self.spendFilter(body)
        filter.keyToken = try body.string("api_key").map(VirtualKey.token(forReference:))
        filter.userID = try body.string("user_id")
        filter.teamID = try body.string("team_id")
        filter.requestID = try body.string("request_id")
        if let limit = Int(try body.string("limit") ?? "") { filter.limit = limit }
        await keys.ledger?.flush()
        return .array(try await storeCall { try await store.spendLogs(filter) }.map(ManagementJSON.spendLog))
    }

    /// Spend per day and group (`group_by`: team, customer, api_key, user, model).
    func spendReport(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        let filter = try Self.spendFilter(body)
        let groupName = try body.string("group_by") ?? "team"
        guard let group = SpendGroup(rawValue: groupName) else {
            throw GatewayError.invalidRequest(
                "'group_by' must be one of \(SpendGroup.allCases.map(\.rawValue).joined(separator: ", "))", param: "group_by")
        }
        await keys.ledger?.flush()
        let rows = try await storeCall { try await store.spendReport(filter, groupBy: group) }
        let (list, name) = switch group {
        case .team: ("teams", "team_name")
        case .key: ("api_keys", "api_key")
        case .user: ("users", "user_id")
        case .customer: ("customers", "customer")
        case .model: ("models", "model")
        }
        var days: [(String, [JSONValue])] = []
        for row in rows {
            let item: JSONValue = .object(JSONObject([
                (name, ManagementJSON.string(row.group)), ("total_spend", .number(String(row.spend))),
                ("total_requests", .number(row.requests)), ("prompt_tokens", .number(row.promptTokens)),
                ("completion_tokens", .number(row.completionTokens)),
            ]))
            if days.last?.0 == row.date { days[days.count - 1].1.append(item) } else { days.append((row.date, [item])) }
        }
        return .array(days.map { day, items in .object(JSONObject([("group_by_day", .string(day)), (list, .array(items))])) })
    }

    func modelSpend(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        await keys.ledger?.flush()
        return .array(try await storeCall { try await store.modelSpend() }.map { model, spend in
            .object(JSONObject([("model", .string(model)), ("total_spend", .number(String(spend)))]))
        })
    }

    /// `start_date` / `end_date` as `YYYY-MM-DD` (UTC; the end day included) or ISO 8601 times.
    static func spendFilter(_ body: ManagementBody) throws(GatewayError) -> SpendLogFilter {
        var filter = SpendLogFilter()
        if let start = try body.string("start_date") {
            guard let time = parseDate(start) else { throw GatewayError.invalidRequest("'start_date' must be YYYY-MM-DD", param: "start_date") }
            filter.from = time
        }
        if let end = try body.string("end_date") {
            guard let time = parseDate(end) else { throw GatewayError.invalidRequest("'end_date' must be YYYY-MM-DD", param: "end_date") }
            filter.to = end.count == 10 ? time + 86_400 : time
        }
        return filter
    }

    static func parseDate(_ text: String) -> Double? {
        if text.count == 10, let date = try? Date("\(text)T00:00:00Z", strategy: .iso8601) { return date.timeIntervalSince1970 }
        return (try? Date(text, strategy: .iso8601))?.timeIntervalSince1970
    }
}
