public import NIOCore
public import SwitchyardCore

/// OpenAI's Responses API on the client side (`POST /v1/responses`): requests become OpenAI chat
/// requests for the program, and its OpenAI answers (whatever the upstream) go back as Response
/// objects, streamed event by event.
public enum ResponsesFormat {
    /// A parsed request (with the items of the earlier turns, oldest first) → a chat request.
    /// - Throws: `GatewayError` 400 naming the offending field.
    public static func chatRequest(_ request: ResponsesRequest, earlier: [JSONValue]) throws(GatewayError) -> ChatRequest {
        try ChatRequest(object: ResponsesRequestTranslation.chatObject(request, earlier: earlier))
    }

    /// A complete `chat.completion` body → the Response object.
    public static func response(fromCompletion body: ByteBuffer, envelope: ResponseEnvelope) throws(GatewayError) -> JSONValue {
        let parsed = try? body.withUnsafeReadableBytes { raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
        guard case .object(let completion)? = parsed else {
            throw GatewayError(.upstreamInvalidResponse, status: 502, message: "The upstream answer could not be read.")
        }
        return ResponsesResponseTranslation.response(completion, envelope: envelope)
    }

    /// An OpenAI SSE stream → a Responses SSE stream; `progress` learns the final Response object.
    public static func stream(_ stream: ByteStream, envelope: ResponseEnvelope, progress: ResponseStreamProgress) -> ByteStream {
        ByteStream(translating: stream, with: ResponsesStreamTranslator(envelope: envelope, progress: progress))
    }

    /// `response.failed`: ends a stream that broke after its first byte, continuing its numbering.
    public static func streamErrorEvent(message: String, envelope: ResponseEnvelope, progress: ResponseStreamProgress) -> ByteBuffer {
        let response = envelope.object(status: "failed", output: [], error: ["code": "server_error", "message": .string(message)])
        var out: [UInt8] = []
        SSE.event("response.failed", [
            "type": "response.failed", "response": response, "sequence_number": .number(progress.nextSequence),
        ], into: &out)
        return ByteBuffer(bytes: out)
    }
}
