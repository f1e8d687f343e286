extension SpendLogFilter {
    /// The filter as a `WHERE` clause with `$1…` parameters, for a spend-log table.
    /// - Parameters:
    ///   - user: the column holding the key's user.
    ///   - start: the column holding the start time.
    ///   - time: turns a `$n` parameter (seconds since 1970) into a value comparable with `start`.
    func whereClause(user: String, start: String, time: (String) -> String = { $0 }) -> (String, [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        func add(_ column: String, _ operation: String, _ value: SQLValue, _ parameter: (String) -> String = { $0 }) {
            binds.append(value)
            conditions.append("\(column) \(operation) \(parameter("$\(binds.count)"))")
        }
        if let keyToken { add("api_key", "=", .text(keyToken)) }
        if let teamID { add("team_id", "=", .text(teamID)) }
        if let userID { add(user, "=", .text(userID)) }
        if let requestID { add("request_id", "=", .text(requestID)) }
        if let from { add(start, ">=", .double(from), time) }
        if let to { add(start, "<", .double(to), time) }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), binds)
    }
}
