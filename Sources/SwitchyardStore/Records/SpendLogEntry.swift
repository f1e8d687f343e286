/// One request's spend-log row. Never holds message content.
public struct SpendLogEntry: Sendable, Equatable {
    public var requestID: String
    /// `chat_completion`, `messages`, `embeddings`.
    public var callType: String
    /// SHA-256 hex of the key (nil for the master key or no authentication).
    public var keyHash: String?
    public var keyAlias: String?
    public var teamID: String?
    public var userID: String?
    /// The request's `user` field.
    public var endUser: String?
    /// The upstream model that answered (or was last tried).
    public var model: String
    /// The model name the client asked for.
    public var modelGroup: String
    public var provider: String?
    public var promptTokens = 0
    public var completionTokens = 0
    public var spend: Double = 0
    /// `success` or `failure`.
    public var status: String
    public var httpStatus: Int
    public var durationMs: Double
    /// Pipelines the request went through, comma-separated.
    public var pipelinePath: String?
    public var startTime: Double
    public var endTime: Double

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(
        requestID: String, callType: String, model: String, modelGroup: String, status: String, httpStatus: Int,
        durationMs: Double, startTime: Double, endTime: Double
    ) {
        self.requestID = requestID
        self.callType = callType
        self.model = model
        self.modelGroup = modelGroup
        self.status = status
        self.httpStatus = httpStatus
        self.durationMs = durationMs
        self.startTime = startTime
        self.endTime = endTime
    }
}
