/// One stored Responses API response: what it was asked (every input item of the conversation
/// so far, oldest first) and what it answered (the Response object), as JSON text.
public struct StoredResponse: Sendable, Equatable {
    /// `resp_…`.
    public var id: String
    /// Who may read it: the creating key's hash, `master`, or `open` without authentication.
    public var scope: String
    public var model: String
    /// A JSON array of input items.
    public var input: String
    /// The Response object, JSON.
    public var response: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// When it stops being readable (seconds since 1970); nil keeps it.
    public var expiresAt: Double?

    public init(id: String, scope: String, model: String, input: String, response: String, createdAt: Double, expiresAt: Double?) {
        self.id = id
        self.scope = scope
        self.model = model
        self.input = input
        self.response = response
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
