public import NIOCore
public import SwitchyardCore

/// A Responses API request (`POST /v1/responses`), parsed once from the client's bytes.
///
/// `input` is kept as a list of items whatever the client sent (a string becomes one user
/// message), so it can be stored and replayed after a later `previous_response_id`.
public struct ResponsesRequest: Sendable {
    /// All top-level fields, in the client's order.
    public let object: JSONObject
    public let model: String
    /// This request's input items (without any earlier turn).
    public let input: [JSONValue]
    public let previousResponseID: String?
    /// Whether the response is kept for `previous_response_id` and `GET` (the default, as in OpenAI's API).
    public var store: Bool { object["store"]?.boolValue ?? true }
    public var stream: Bool { object["stream"]?.boolValue ?? false }

    /// Parses and validates a request body.
    /// - Throws: `GatewayError` 400 naming the offending field.
    public init(body: ByteBuffer) throws(GatewayError) {
        let parsed = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard let parsed else { throw GatewayError(.invalidJSON, status: 400, message: "We could not parse the JSON body of your request.") }
        guard case .object(let object) = parsed else {
            throw GatewayError(.invalidRequest, status: 400, message: "The request body must be a JSON object, not \(parsed.typeName)")
        }
        try self.init(object: object)
    }

    public init(object: JSONObject) throws(GatewayError) {
        guard let model = object["model"] else { throw .missingField("model") }
        guard case .string(let name) = model, !name.isEmpty else { throw .wrongType("model", expected: "a non-empty string", got: model) }
        switch object["input"] {
        case .string(let text)?: input = [["role": "user", "content": .string(text)]]
        case .array(let items)?: input = items
        case nil, .null?: input = []
        case let other?: throw .wrongType("input", expected: "a string or an array", got: other)
        }
        switch object["previous_response_id"] {
        case .string(let id)?: previousResponseID = id
        case nil, .null?: previousResponseID = nil
        case let other?: throw .wrongType("previous_response_id", expected: "a string", got: other)
        }
        for field in ["stream", "store", "parallel_tool_calls"] {
            if let value = object[field], value != .null, value.boolValue == nil { throw .wrongType(field, expected: "a boolean", got: value) }
        }
        if let value = object["instructions"], value != .null, value.stringValue == nil {
            throw .wrongType("instructions", expected: "a string", got: value)
        }
        for field in Self.unsupported where object[field] != nil && object[field] != .null && object[field] != false {
            throw .invalidRequest("'\(field)' is not supported by this gateway", param: field)
        }
        self.object = object
        self.model = name
    }

    /// Fields of the Responses API the gateway cannot honour: refused rather than ignored.
    static let unsupported = ["background", "prompt", "conversation"]
}
