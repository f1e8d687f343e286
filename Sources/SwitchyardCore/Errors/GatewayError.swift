/// An error that reaches a client, rendered in OpenAI's shape:
/// `{"error": {"message", "type", "param", "code"}}`.
///
/// `message` must never contain secrets or scrubbed values: it is sent to the client and logged.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, label-safe identifier (also the `code` field of the body).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Value: String, Sendable, CaseIterable {
            case invalidJSON = "invalid_json"
            case invalidRequest = "invalid_request"
            case missingField = "missing_field"
            case modelNotFound = "model_not_found"
            case modelUnavailable = "model_unavailable"
            case bodyTooLarge = "request_too_large"
            case invalidAPIKey = "invalid_api_key"
            case notFound = "not_found"
            case methodNotAllowed = "method_not_allowed"
            case upstreamUnreachable = "upstream_unreachable"
            case upstreamTimeout = "upstream_timeout"
            case upstreamError = "upstream_error"
            case upstreamInvalidResponse = "upstream_invalid_response"
            case internalError = "internal_error"
            case contentBlocked = "content_blocked"
            case scrubFailed = "scrub_failed"
            case rejected = "request_rejected"
            case rateLimited = "rate_limit_exceeded"
            case pipelineError = "pipeline_error"
            case budgetExceeded = "budget_exceeded"
            case serviceUnavailable = "service_unavailable"
            case forbidden = "forbidden"
        }
        fileprivate let value: Value

        public static let invalidJSON = Code(value: .invalidJSON)
        public static let invalidRequest = Code(value: .invalidRequest)
        public static let missingField = Code(value: .missingField)
        public static let modelNotFound = Code(value: .modelNotFound)
        public static let modelUnavailable = Code(value: .modelUnavailable)
        public static let bodyTooLarge = Code(value: .bodyTooLarge)
        public static let invalidAPIKey = Code(value: .invalidAPIKey)
        public static let notFound = Code(value: .notFound)
        public static let methodNotAllowed = Code(value: .methodNotAllowed)
        public static let upstreamUnreachable = Code(value: .upstreamUnreachable)
        public static let upstreamTimeout = Code(value: .upstreamTimeout)
        public static let upstreamError = Code(value: .upstreamError)
        public static let upstreamInvalidResponse = Code(value: .upstreamInvalidResponse)
        public static let internalError = Code(value: .internalError)
        /// A scrub policy's `block` action refused the request (or the answer).
        public static let contentBlocked = Code(value: .contentBlocked)
        /// Scrubbing could not finish safely (a pattern hit its bound); nothing was sent.
        public static let scrubFailed = Code(value: .scrubFailed)
        /// A pipeline's `reject` stage answered.
        public static let rejected = Code(value: .rejected)
        /// A pipeline's `limit` stage answered 429.
        public static let rateLimited = Code(value: .rateLimited)
        /// The pipeline could not finish (a `route-requested` loop, a stage that failed).
        public static let pipelineError = Code(value: .pipelineError)
        /// A key, team, user or end user spent its budget (LiteLLM's `budget_exceeded`, 422).
        public static let budgetExceeded = Code(value: .budgetExceeded)
        /// Something the gateway needs is down (the key database).
        public static let serviceUnavailable = Code(value: .serviceUnavailable)
        /// Authenticated, but not allowed (a non-admin key on the management API).
        public static let forbidden = Code(value: .forbidden)

        public var description: String { value.rawValue }

        /// Every code (for metric tables).
        public static let all: [Code] = Value.allCases.map { Code(value: $0) }
    }

    public var code: Code
    /// HTTP status sent to the client.
    public var status: Int
    public var message: String
    /// The request field at fault, when there is one (`messages[0].role`).
    public var param: String?
    /// OpenAI's error `type` (`invalid_request_error`, `authentication_error`, …).
    public var type: String
    /// An upstream error body to send instead of a rendered one (already in OpenAI's shape).
    public var upstreamBody: [UInt8]?
    /// Seconds the client should wait before retrying (sent as `Retry-After`).
    public var retryAfter: Int?
    /// The upstream's `retry-after-ms`, when it sent one (more precise than `retryAfter`).
    public var retryAfterMilliseconds: Int?

    public init(
        _ code: Code, status: Int, message: String, param: String? = nil,
        type: String? = nil, upstreamBody: [UInt8]? = nil, retryAfter: Int? = nil
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.param = param
        self.type = type ?? Self.defaultType(status: status)
        self.upstreamBody = upstreamBody
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// The upstream call was cancelled (the client went away, or a drain ended it): 499, as
    /// nginx logs a request its client closed.
    public var isCancellation: Bool { status == 499 }

    static func defaultType(status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "invalid_request_error"
        case 408, 504: "timeout_error"
        case 413: "invalid_request_error"
        case 429: "rate_limit_error"
        case 400..<500: "invalid_request_error"
        case 502, 503: "upstream_error"
        default: "api_error"
        }
    }

    /// The response body: the upstream's own error body when it had one, else OpenAI's shape.
    public var body: [UInt8] {
        if let upstreamBody { return upstreamBody }
        let error: JSONValue = [
            "message": .string(message),
            "type": .string(type),
            "param": param.map { .string($0) } ?? .null,
            "code": .string(code.description),
        ]
        return JSONWriter.bytes(["error": error])
    }
}

extension GatewayError {
    public static func invalidRequest(_ message: String, param: String? = nil) -> GatewayError {
        GatewayError(.invalidRequest, status: 400, message: message, param: param)
    }

    public static func missingField(_ field: String) -> GatewayError {
        GatewayError(.missingField, status: 400, message: "'\(field)' is a required property", param: field)
    }

    public static func wrongType(_ field: String, expected: String, got: JSONValue) -> GatewayError {
        GatewayError(
            .invalidRequest, status: 400,
            message: "'\(field)' must be \(expected), not \(got.typeName)", param: field)
    }
}
