extension KeyFilter {
    /// The filter as a `WHERE` clause with `$1…` parameters.
    /// - Parameter prefix: how the key table is named in the query (`v.`), or nothing.
    func whereClause(prefix: String = "") -> (String, [SQLValue]) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        for (column, value) in [("team_id", teamID), ("user_id", userID), ("key_alias", alias)] {
            guard let value else { continue }
            binds.append(.text(value))
            conditions.append("\(prefix)\(column) = $\(binds.count)")
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), binds)
    }

    /// `LIMIT … OFFSET …` for the requested page (sizes 1…1000).
    var pageClause: String {
        let size = max(1, min(self.size, 1_000))
        return " LIMIT \(size) OFFSET \(max(0, page - 1) * size)"
    }
}
