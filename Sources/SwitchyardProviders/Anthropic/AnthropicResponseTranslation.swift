import Foundation
import SwitchyardCore

/// Anthropic Messages answer → OpenAI `chat.completion`: text blocks joined into `content`,
/// `tool_use` blocks into `tool_calls` (input re-encoded as the arguments string), thinking into
/// `reasoning_content`, `stop_reason` into `finish_reason`, usage into OpenAI's counts.
enum AnthropicResponseTranslation {
    static func chatCompletion(_ message: JSONObject, model: String) -> JSONValue {
        var text = ""
        var reasoning = ""
        var toolCalls: [JSONValue] = []
        for block in message["content"]?.arrayValue ?? [] {
            guard let fields = block.objectValue else { continue }
            switch fields["type"]?.stringValue {
            case "text": text += fields["text"]?.stringValue ?? ""
            case "thinking": reasoning += fields["thinking"]?.stringValue ?? ""
            case "tool_use":
                toolCalls.append([
                    "id": fields["id"] ?? "", "type": "function",
                    "function": ["name": fields["name"] ?? "", "arguments": .string(JSONWriter.string(fields["input"] ?? [:]))],
                ])
            default: break
            }
        }
        var reply = JSONObject(pairs: ["role": "assistant", "content": text.isEmpty && !toolCalls.isEmpty ? .null : .string(text)])
        if !reasoning.isEmpty { reply["reasoning_content"] = .string(reasoning) }
        if !toolCalls.isEmpty { reply["tool_calls"] = .array(toolCalls) }
        var out = JSONObject(pairs: [
            "id": message["id"] ?? "", "object": "chat.completion", "created": .number(Int(Date().timeIntervalSince1970)),
            "model": message["model"] ?? .string(model),
            "choices": [["index": 0, "message": .object(reply), "logprobs": nil, "finish_reason": finishReason(message["stop_reason"])]],
        ])
        if let usage = message["usage"]?.objectValue { out["usage"] = openAIUsage(usage) }
        return .object(out)
    }

    /// `stop_reason` → `finish_reason`.
    static func finishReason(_ reason: JSONValue?) -> JSONValue {
        switch reason?.stringValue {
        case nil: return .null
        case "end_turn", "stop_sequence", "pause_turn": return "stop"
        case "max_tokens", "model_context_window_exceeded": return "length"
        case "tool_use": return "tool_calls"
        case "refusal": return "content_filter"
        case let other?: return .string(other)
        }
    }

    /// Anthropic usage → OpenAI usage. Cached and cache-written input counts towards
    /// `prompt_tokens`, as OpenAI counts it; the cached part is also `cached_tokens`.
    static func openAIUsage(_ usage: JSONObject) -> JSONValue {
        let cacheRead = usage["cache_read_input_tokens"]?.intValue ?? 0
        let prompt = (usage["input_tokens"]?.intValue ?? 0) + (usage["cache_creation_input_tokens"]?.intValue ?? 0) + cacheRead
        let completion = usage["output_tokens"]?.intValue ?? 0
        var out = JSONObject(pairs: [
            "prompt_tokens": .number(prompt), "completion_tokens": .number(completion), "total_tokens": .number(prompt + completion),
        ])
        if cacheRead > 0 { out["prompt_tokens_details"] = ["cached_tokens": .number(cacheRead)] }
        return .object(out)
    }
}
