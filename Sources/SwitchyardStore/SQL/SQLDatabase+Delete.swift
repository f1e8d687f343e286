extension SQLDatabase {
    /// Deletes rows one id at a time inside one transaction; returns the ids that existed.
    /// - Parameters:
    ///   - table: the table, quoted as it must appear in SQL (`sy_keys`, `"LiteLLM_TeamTable"`).
    func delete(from table: String, column: String, ids: [String]) async throws -> [String] {
        try await transaction { tx in
            var deleted: [String] = []
            for id in ids {
                let rows = try await tx.query("DELETE FROM \(table) WHERE \(column) = $1 RETURNING \(column)", .text(id))
                if !rows.isEmpty { deleted.append(id) }
            }
            return deleted
        }
    }
}
