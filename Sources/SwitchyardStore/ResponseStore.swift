/// Where the Responses API keeps conversation state (`previous_response_id`, `GET
/// /v1/responses/{id}`). Apart from `GatewayStore` so a key store over another schema need not
/// hold responses; `NativeStore` implements both on SQLite or PostgreSQL.
///
/// Every read and delete names the scope (the key) that created the response: a response is
/// invisible to every other key.
public protocol ResponseStore: Sendable {
    /// Ids are random (`resp_` and 192 bits): a duplicate is a database error.
    func saveResponse(_ response: StoredResponse) async throws
    /// The response, when it exists in `scope` and has not expired by `now` (seconds since 1970).
    func response(id: String, scope: String, now: Double) async throws -> StoredResponse?
    /// - Returns: whether it existed in `scope`.
    func deleteResponse(id: String, scope: String) async throws -> Bool
    /// Deletes responses that expired by `now`. - Returns: how many.
    @discardableResult
    func pruneResponses(now: Double) async throws -> Int
}
