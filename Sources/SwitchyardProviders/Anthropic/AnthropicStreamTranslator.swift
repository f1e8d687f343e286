import Foundation
import NIOCore
import SwitchyardCore

/// Anthropic Messages SSE → OpenAI `chat.completion.chunk` events, one upstream event at a time.
///
/// | Anthropic event | OpenAI chunk |
/// |---|---|
/// | `message_start` | `delta: {role: assistant, content: ""}` (input usage remembered) |
/// | `content_block_start` text / tool_use | nothing / `tool_calls[i]` with id, name, `arguments: ""` |
/// | `content_block_delta` text_delta / input_json_delta / thinking_delta | `content` / `tool_calls[i].function.arguments` / `reasoning_content` |
/// | `message_delta` | `finish_reason` (output usage remembered) |
/// | `message_stop` | usage chunk when `stream_options.include_usage`, then `[DONE]` |
/// | `ping`, `content_block_stop`, `signature_delta` | nothing |
/// | `error` | an OpenAI error event; the stream ends without `[DONE]` |
///
/// Tool calls are numbered by their order among tool blocks (OpenAI's `index`), not by
/// Anthropic's block index, so text before a tool call does not shift the numbering.
package struct AnthropicStreamTranslator: StreamTranslator {
    let model: String
    let includeUsage: Bool
    let provider: String

    private var parser = SSEEventParser()
    private var writer: ChatChunkWriter
    /// Anthropic block index → OpenAI tool-call index.
    private var toolIndex: [Int: Int] = [:]
    private var usage = JSONObject()
    private var sentAnything = false
    private var ended = false

    package init(model: String, includeUsage: Bool, provider: String) {
        self.model = model
        self.includeUsage = includeUsage
        self.provider = provider
        self.writer = ChatChunkWriter(id: "chatcmpl-anthropic", model: model)
    }

    package mutating func consume(_ chunk: ByteBuffer) throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.feed(chunk) where !ended {
            try translate(event, into: &out)
        }
        if !out.isEmpty { sentAnything = true }
        return out
    }

    package mutating func finish() throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.finish() where !ended {
            try translate(event, into: &out)
        }
        if !ended {
            // The upstream closed without `message_stop`: the client must not see a clean end.
            throw GatewayError(.upstreamError, status: 502, message: "upstream provider '\(provider)' ended the stream early")
        }
        return out
    }

    private mutating func translate(_ event: SSEEventParser.Event, into out: inout [UInt8]) throws(GatewayError) {
        guard case .object(let data)? = try? JSONParser.parse(event.data) else { return }
        switch data["type"]?.stringValue ?? event.name {
        case "message_start":
            let message = data["message"]?.objectValue ?? JSONObject()
            if let id = message["id"]?.stringValue { writer.id = .string(id) }
            if let model = message["model"] { writer.model = model }
            if let usage = message["usage"]?.objectValue { merge(usage) }
            writer.chunk(["role": "assistant", "content": ""], into: &out)
        case "content_block_start":
            guard let block = data["content_block"]?.objectValue, let index = data["index"]?.intValue else { return }
            switch block["type"]?.stringValue {
            case "tool_use":
                let position = toolIndex.count
                toolIndex[index] = position
                writer.toolCallStart(index: position, id: block["id"] ?? "", name: block["name"] ?? "", into: &out)
            case "text":
                if let text = block["text"]?.stringValue, !text.isEmpty { writer.chunk(["content": .string(text)], into: &out) }
            default: break
            }
        case "content_block_delta":
            guard let delta = data["delta"]?.objectValue, let index = data["index"]?.intValue else { return }
            switch delta["type"]?.stringValue {
            case "text_delta":
                writer.chunk(["content": delta["text"] ?? ""], into: &out)
            case "input_json_delta":
                guard let position = toolIndex[index], let partial = delta["partial_json"]?.stringValue, !partial.isEmpty else { return }
                writer.toolCallArguments(index: position, partial, into: &out)
            case "thinking_delta":
                writer.chunk(["reasoning_content": delta["thinking"] ?? ""], into: &out)
            default: break
            }
        case "message_delta":
            if let usage = data["usage"]?.objectValue { merge(usage) }
            let reason = data["delta"]?.objectValue?["stop_reason"]
            writer.chunk([:], finish: AnthropicResponseTranslation.finishReason(reason), into: &out)
        case "message_stop":
            if includeUsage {
                writer.usage(AnthropicResponseTranslation.openAIUsage(usage), into: &out)
            }
            out += SSE.done
            ended = true
        case "error":
            let error = data["error"]?.objectValue ?? JSONObject()
            let message = error["message"]?.stringValue ?? "upstream stream error"
            let status = error["type"]?.stringValue == "overloaded_error" ? 529 : 502
            let translated = AnthropicErrors.translate(status: status, body: JSONWriter.bytes(.object(data)), provider: provider)
                ?? GatewayError(.upstreamError, status: status, message: message)
            // Before any byte went out, a failure can still be retried or fall back.
            if !sentAnything && out.isEmpty { throw translated }
            SSE.error(translated, into: &out)
            ended = true
        default:
            break  // ping, content_block_stop, and event types added later
        }
    }

    private mutating func merge(_ usage: JSONObject) {
        for field in usage where field.value.intValue != nil { self.usage[field.key] = field.value }
    }
}
