public import NIOCore
public import SwitchyardCore

/// Anthropic's Messages format on the client side (`POST /v1/messages`): requests become OpenAI
/// chat requests for the program, and its OpenAI answers (whatever the upstream) go back in
/// Anthropic's format, streamed event by event.
public enum AnthropicMessagesFormat {
    /// Parses and translates a Messages request body.
    /// - Throws: `GatewayError` 400 naming the offending field.
    public static func chatRequest(from body: ByteBuffer) throws(GatewayError) -> ChatRequest {
        let parsed = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard let parsed else { throw GatewayError(.invalidJSON, status: 400, message: "We could not parse the JSON body of your request.") }
        guard case .object(let object) = parsed else {
            throw GatewayError(.invalidRequest, status: 400, message: "The request body must be a JSON object, not \(parsed.typeName)")
        }
        guard case .number? = object["max_tokens"] else { throw .missingField("max_tokens") }
        return try ChatRequest(object: MessagesRequestTranslation.translate(object))
    }

    /// A complete `chat.completion` body → an Anthropic message body.
    public static func message(fromCompletion body: ByteBuffer, model: String) throws(GatewayError) -> ByteBuffer {
        let parsed = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard case .object(let completion)? = parsed else {
            throw GatewayError(.upstreamInvalidResponse, status: 502, message: "The upstream answer could not be read.")
        }
        return ByteBuffer(bytes: JSONWriter.bytes(MessagesResponseTranslation.message(completion, model: model)))
    }

    /// An OpenAI SSE stream → an Anthropic SSE stream.
    public static func stream(_ stream: ByteStream, model: String) -> ByteStream {
        ByteStream(translating: stream, with: MessagesStreamTranslator(model: model))
    }

    /// An error in Anthropic's shape.
    public static func errorBody(_ error: GatewayError) -> ByteBuffer {
        ByteBuffer(bytes: MessagesResponseTranslation.errorBody(error))
    }

    /// The event that ends a stream that broke after its first byte.
    public static func streamErrorEvent(message: String) -> ByteBuffer {
        var out: [UInt8] = []
        SSE.event("error", ["type": "error", "error": ["type": "api_error", "message": .string(message)]], into: &out)
        return ByteBuffer(bytes: out)
    }
}
