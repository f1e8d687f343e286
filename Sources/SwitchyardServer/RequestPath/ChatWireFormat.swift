import NIOCore
import SwitchyardCore
import SwitchyardProviders

/// What differs between the chat-shaped endpoints: how a body becomes a `ChatRequest`, and how
/// an OpenAI-format answer, stream or error is written back. Everything else is `RequestPath`.
protocol ChatWireFormat: Sendable {
    /// The spend log's `call_type`.
    var callType: String { get }
    /// Async: a format may read earlier state (the Responses API's `previous_response_id`).
    func chatRequest(from body: ByteBuffer) async throws(GatewayError) -> ChatRequest
    /// Async: a format may store the answer before it is sent.
    func answer(_ completion: ByteBuffer, model: String) async throws(GatewayError) -> ByteBuffer
    func stream(_ stream: ByteStream, model: String) -> ByteStream
    /// The event that ends a stream the upstream broke or a deadline cut (never a clean-looking
    /// end).
    func streamErrorEvent(_ error: GatewayError) -> ByteBuffer
    func errorBody(_ error: GatewayError) -> ByteBuffer
}

/// `POST /v1/chat/completions`: OpenAI's format, answers forwarded as the bytes they came as.
struct OpenAIChatFormat: ChatWireFormat {
    var callType: String { "chat_completion" }

    func chatRequest(from body: ByteBuffer) throws(GatewayError) -> ChatRequest { try ChatRequest(body: body) }
    func answer(_ completion: ByteBuffer, model: String) -> ByteBuffer { completion }
    func stream(_ stream: ByteStream, model: String) -> ByteStream { stream }
    func errorBody(_ error: GatewayError) -> ByteBuffer { ByteBuffer(bytes: error.body) }

    /// One `data: {"error": …}` event and no `[DONE]`.
    func streamErrorEvent(_ error: GatewayError) -> ByteBuffer {
        var event = ByteBuffer(string: "data: ")
        event.writeBytes(error.body)
        event.writeString("\n\n")
        return event
    }
}

/// `POST /v1/messages`: Anthropic's Messages API, translated to and from chat completions.
struct AnthropicMessagesWire: ChatWireFormat {
    var callType: String { "anthropic_messages" }

    func chatRequest(from body: ByteBuffer) throws(GatewayError) -> ChatRequest { try AnthropicMessagesFormat.chatRequest(from: body) }
    func answer(_ completion: ByteBuffer, model: String) throws(GatewayError) -> ByteBuffer {
        try AnthropicMessagesFormat.message(fromCompletion: completion, model: model)
    }
    func stream(_ stream: ByteStream, model: String) -> ByteStream { AnthropicMessagesFormat.stream(stream, model: model) }
    func errorBody(_ error: GatewayError) -> ByteBuffer { AnthropicMessagesFormat.errorBody(error) }
    func streamErrorEvent(_ error: GatewayError) -> ByteBuffer {
        AnthropicMessagesFormat.streamErrorEvent(message: error.message)
    }
}
