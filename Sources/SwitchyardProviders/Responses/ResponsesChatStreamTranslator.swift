import NIOCore
import SwitchyardCore

/// Responses API SSE → OpenAI `chat.completion.chunk` SSE, one upstream event at a time, for a
/// target flagged `api: responses`: text deltas become content deltas, each `function_call`
/// item a tool call (its argument deltas the call's argument pieces); `response.completed` /
/// `response.incomplete` send the finish reason, the usage chunk when asked, and `[DONE]`;
/// `response.failed` and `error` end the stream with an error event.
package struct ResponsesChatStreamTranslator: SSEStreamTranslator {
    let includeUsage: Bool
    private var writer: ChatChunkWriter
    package var parser = SSEEventParser()
    private var started = false
    package private(set) var ended = false
    /// Output index → tool-call index among the answer's calls.
    private var toolCalls: [Int: Int] = [:]

    package init(model: String, includeUsage: Bool) {
        self.includeUsage = includeUsage
        self.writer = ChatChunkWriter(id: "chatcmpl-responses", model: model)
    }

    package mutating func translate(_ event: SSEEventParser.Event, into out: inout [UInt8]) {
        guard case .object(let data)? = try? JSONParser.parse(event.data) else { return }
        let type = data["type"]?.stringValue ?? event.name ?? ""
        if !started, let id = data["response"]?.objectValue?["id"]?.stringValue {
            writer.id = .string("chatcmpl-" + id)
        }
        if !started {
            started = true
            writer.chunk(["role": "assistant", "content": ""], into: &out)
        }
        switch type {
        case "response.output_text.delta":
            if case .string(let text)? = data["delta"], !text.isEmpty { writer.chunk(["content": .string(text)], into: &out) }
        case "response.output_item.added":
            guard let item = data["item"]?.objectValue, item["type"] == "function_call", let index = data["output_index"]?.intValue else { return }
            let call = toolCalls.count
            toolCalls[index] = call
            writer.toolCallStart(index: call, id: item["call_id"] ?? "", name: item["name"] ?? "", into: &out)
            if case .string(let arguments)? = item["arguments"], !arguments.isEmpty { writer.toolCallArguments(index: call, arguments, into: &out) }
        case "response.function_call_arguments.delta":
            guard let index = data["output_index"]?.intValue, let call = toolCalls[index], case .string(let piece)? = data["delta"] else { return }
            writer.toolCallArguments(index: call, piece, into: &out)
        case "response.completed", "response.incomplete":
            let response = data["response"]?.objectValue ?? JSONObject()
            writer.chunk([:], finish: ResponsesAnswerTranslation.finishReason(response, toolCalls: !toolCalls.isEmpty), into: &out)
            if includeUsage { writer.usage(ResponsesAnswerTranslation.usage(response["usage"]?.objectValue), into: &out) }
            out.append(contentsOf: SSE.done)
            ended = true
        case "response.failed", "error":
            let error = data["response"]?.objectValue?["error"]?.objectValue ?? data
            let message = error["message"]?.stringValue ?? "The upstream stream failed."
            SSE.error(GatewayError(.upstreamError, status: 502, message: message), into: &out)
            ended = true
        default:
            break
        }
    }
}
