public import NIOCore

/// An OpenAI chat-completions request, parsed once from the client's bytes.
///
/// The fields the gateway acts on (`model`, `stream`, `messages`, `user`, `metadata`) are
/// validated and exposed; every other field stays in `object` and is forwarded untouched. When a
/// request reaches an upstream unchanged except for its model name, the original bytes are sent
/// with only the `model` value spliced, so nothing is re-encoded.
public struct ChatRequest: Sendable {
    /// All top-level fields, in the client's order.
    public private(set) var object: JSONObject
    /// The model the client asked for.
    public let requestedModel: String
    public var stream: Bool { object["stream"]?.boolValue ?? false }
    public var user: String? { object["user"]?.stringValue }
    public var messages: [JSONValue] { object["messages"]?.arrayValue ?? [] }

    private let original: ByteBuffer?
    private let modelRange: Range<Int>?
    /// True once a field other than `model` was changed: the body must be re-encoded.
    public private(set) var isModified = false

    /// Parses and validates a request body.
    /// - Throws: `GatewayError` 400 naming the offending field.
    public init(body: ByteBuffer) throws(GatewayError) {
        let parsed: (JSONValue, [Range<Int>])
        do {
            parsed = try body.withUnsafeReadableBytes { raw in
                Result { () throws(JSONParseError) in
                    try JSONParser.parseRecordingFields(raw.assumingMemoryBound(to: UInt8.self))
                }
            }.get()
        } catch {
            throw GatewayError(.invalidJSON, status: 400, message: "We could not parse the JSON body of your request: \(error)")
        }
        guard case .object(let object) = parsed.0 else {
            throw GatewayError(.invalidRequest, status: 400, message: "The request body must be a JSON object, not \(parsed.0.typeName)")
        }
        let modelIndex = object.fields.firstIndex { $0.key == "model" }
        try self.init(object: object, original: body, modelRange: modelIndex.map { parsed.1[$0] })
    }

    /// Builds a request from an already parsed object (tests, `explain`, format translation).
    public init(object: JSONObject) throws(GatewayError) {
        try self.init(object: object, original: nil, modelRange: nil)
    }

    private init(object: JSONObject, original: ByteBuffer?, modelRange: Range<Int>?) throws(GatewayError) {
        guard let model = object["model"] else { throw .missingField("model") }
        guard case .string(let name) = model else { throw .wrongType("model", expected: "a string", got: model) }
        guard !name.isEmpty else { throw .invalidRequest("'model' must not be empty", param: "model") }
        try Self.validate(object)
        self.object = object
        self.requestedModel = name
        self.original = original
        self.modelRange = modelRange
    }

    private static func validate(_ object: JSONObject) throws(GatewayError) {
        guard let messages = object["messages"] else { throw .missingField("messages") }
        guard case .array(let list) = messages else { throw .wrongType("messages", expected: "an array", got: messages) }
        guard !list.isEmpty else { throw .invalidRequest("'messages' must contain at least one message", param: "messages") }
        for (i, message) in list.enumerated() {
            guard case .object(let fields) = message else {
                throw .wrongType("messages[\(i)]", expected: "an object", got: message)
            }
            guard let role = fields["role"] else { throw .missingField("messages[\(i)].role") }
            guard case .string = role else { throw .wrongType("messages[\(i)].role", expected: "a string", got: role) }
            if let content = fields["content"] {
                switch content {
                case .string, .array, .null: break
                default: throw .wrongType("messages[\(i)].content", expected: "a string or an array", got: content)
                }
            }
        }
        if let stream = object["stream"] {
            switch stream {
            case .bool, .null: break
            default: throw .wrongType("stream", expected: "a boolean", got: stream)
            }
        }
        for field in ["max_tokens", "max_completion_tokens", "n"] {
            if let value = object[field], value != .null, value.intValue == nil {
                throw .wrongType(field, expected: "an integer", got: value)
            }
        }
        for field in ["temperature", "top_p"] {
            if let value = object[field], value != .null, value.doubleValue == nil {
                throw .wrongType(field, expected: "a number", got: value)
            }
        }
    }

    /// The same request naming another model (a virtual key's model alias). The client's bytes
    /// are kept: the upstream body still splices only the model value.
    public func renamingModel(to model: String) throws(GatewayError) -> ChatRequest {
        var object = self.object
        object["model"] = .string(model)
        var renamed = try ChatRequest(object: object, original: original, modelRange: modelRange)
        renamed.isModified = isModified
        return renamed
    }

    /// Reads a top-level field.
    public subscript(field: String) -> JSONValue? { object[field] }

    /// Sets (or, with `nil`, removes) a top-level field; the body will be re-encoded.
    public mutating func set(_ field: String, _ value: JSONValue?) {
        object[field] = value
        isModified = true
    }

    /// The body to send upstream with `model` replaced by the upstream's model name.
    ///
    /// Unchanged requests reuse the client's bytes: as they are when the name is the same, with
    /// the model value spliced when it differs; anything else is re-encoded once.
    public func encodedBody(model: String, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        if !isModified, let original, let modelRange {
            if object["model"]?.stringValue == model { return original }
            var encodedModel: [UInt8] = []
            JSONWriter.writeString(model, into: &encodedModel)
            var out = allocator.buffer(capacity: original.readableBytes + encodedModel.count)
            let base = original.readerIndex
            out.writeImmutableBuffer(original.getSlice(at: base, length: modelRange.lowerBound)!)
            out.writeBytes(encodedModel)
            out.writeImmutableBuffer(
                original.getSlice(at: base + modelRange.upperBound, length: original.readableBytes - modelRange.upperBound)!)
            return out
        }
        var copy = object
        copy["model"] = .string(model)
        return ByteBuffer(bytes: JSONWriter.bytes(.object(copy)))
    }
}
