/// `ResponseStore` on the `sy_responses` table (schema migration 2).
extension NativeStore: ResponseStore {
    public func saveResponse(_ response: StoredResponse) async throws {
        try JSONColumn.checkText([response.id, response.scope, response.model])
        try await database.query(
            "INSERT INTO sy_responses (id, scope, model, input, response, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                .text(response.id), .text(response.scope), .text(response.model), .text(response.input), .text(response.response),
                .double(response.createdAt), SQLValue(response.expiresAt),
            ])
    }

    public func response(id: String, scope: String, now: Double) async throws -> StoredResponse? {
        let rows = try await database.query(
            """
            SELECT id, scope, model, input, response, created_at, expires_at FROM sy_responses
            WHERE id = $1 AND scope = $2 AND (expires_at IS NULL OR expires_at > $3)
            """,
            .text(id), .text(scope), .double(now))
        return rows.first.map { row in
            StoredResponse(
                id: row["id"].text ?? "", scope: row["scope"].text ?? "", model: row["model"].text ?? "",
                input: row["input"].text ?? "[]", response: row["response"].text ?? "{}",
                createdAt: row["created_at"].double ?? 0, expiresAt: row["expires_at"].double)
        }
    }

    public func deleteResponse(id: String, scope: String) async throws -> Bool {
        !(try await database.query("DELETE FROM sy_responses WHERE id = $1 AND scope = $2 RETURNING id", .text(id), .text(scope))).isEmpty
    }

    public func pruneResponses(now: Double) async throws -> Int {
        try await database.query("DELETE FROM sy_responses WHERE expires_at <= $1 RETURNING id", .double(now)).count
    }
}
