import Foundation
import SwitchyardCore

/// Responses API Response object → OpenAI `chat.completion`, for a target flagged
/// `api: responses`: the reverse of `ResponsesResponseTranslation`.
enum ResponsesAnswerTranslation {
    static func chatCompletion(_ response: JSONObject, model: String) -> JSONValue {
        var text = ""
        var refusal = ""
        var calls: [JSONValue] = []
        for item in response["output"]?.arrayValue ?? [] {
            guard let fields = item.objectValue else { continue }
            switch fields["type"]?.stringValue {
            case "message":
                for part in fields["content"]?.arrayValue ?? [] {
                    text += part.objectValue?["text"]?.stringValue ?? ""
                    refusal += part.objectValue?["refusal"]?.stringValue ?? ""
                }
            case "function_call":
                calls.append(["id": fields["call_id"] ?? "", "type": "function", "function": ["name": fields["name"] ?? "", "arguments": fields["arguments"] ?? "{}"]])
            default: break  // reasoning and built-in tool items have no chat equivalent
            }
        }
        var message = JSONObject([(key: "role", value: "assistant"), (key: "content", value: text.isEmpty && !calls.isEmpty ? .null : .string(text))])
        if !refusal.isEmpty { message["refusal"] = .string(refusal) }
        if !calls.isEmpty { message["tool_calls"] = .array(calls) }
        return [
            "id": .string("chatcmpl-" + (response["id"]?.stringValue ?? "responses")), "object": "chat.completion",
            "created": response["created_at"] ?? .number(Int(Date().timeIntervalSince1970)), "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "logprobs": nil, "finish_reason": finishReason(response, toolCalls: !calls.isEmpty)]],
            "usage": usage(response["usage"]?.objectValue),
        ]
    }

    /// The chat `finish_reason` of a finished response.
    static func finishReason(_ response: JSONObject, toolCalls: Bool) -> JSONValue {
        switch response["incomplete_details"]?.objectValue?["reason"]?.stringValue {
        case "max_output_tokens": return "length"
        case "content_filter": return "content_filter"
        default: return toolCalls ? "tool_calls" : "stop"
        }
    }

    /// Responses `usage` → chat `usage`.
    static func usage(_ usage: JSONObject?) -> JSONValue {
        guard let usage else { return nil }
        let input = usage["input_tokens"]?.intValue ?? 0
        let output = usage["output_tokens"]?.intValue ?? 0
        return [
            "prompt_tokens": .number(input), "completion_tokens": .number(output), "total_tokens": .number(usage["total_tokens"]?.intValue ?? input + output),
            "prompt_tokens_details": ["cached_tokens": .number(usage["input_tokens_details"]?.objectValue?["cached_tokens"]?.intValue ?? 0)],
            "completion_tokens_details": ["reasoning_tokens": .number(usage["output_tokens_details"]?.objectValue?["reasoning_tokens"]?.intValue ?? 0)],
        ]
    }
}
