import Foundation
import SwitchyardCore

/// Bedrock Converse answer → OpenAI `chat.completion`: `text` blocks → `content`, `toolUse`
/// blocks → `tool_calls`, `reasoningContent` → `reasoning_content`, `stopReason` →
/// `finish_reason`, `usage` → usage. A guardrail intervention is a `content_policy` error.
enum ConverseResponseTranslation {
    static func chatCompletion(_ response: JSONObject, model: String, provider: String, requestID: String) throws(GatewayError) -> JSONValue {
        let blocks = response["output"]?.objectValue?["message"]?.objectValue?["content"]?.arrayValue ?? []
        var text = ""
        var reasoning = ""
        var calls: [JSONValue] = []
        for block in blocks {
            guard let fields = block.objectValue else { continue }
            if let piece = fields["text"]?.stringValue { text += piece }
            if let piece = fields["reasoningContent"]?.objectValue?["reasoningText"]?.objectValue?["text"]?.stringValue { reasoning += piece }
            if let use = fields["toolUse"]?.objectValue {
                calls.append([
                    "id": use["toolUseId"] ?? "", "type": "function",
                    "function": ["name": use["name"] ?? "", "arguments": .string(JSONWriter.string(use["input"] ?? [:]))],
                ])
            }
        }
        let stopReason = response["stopReason"]?.stringValue
        if stopReason == "guardrail_intervened" {
            throw UpstreamFailure.classified(
                status: 400, message: "upstream provider '\(provider)' blocked the request: a Bedrock guardrail intervened (content_policy)",
                code: "content_policy_violation")
        }
        var message = JSONObject(pairs: ["role": "assistant", "content": text.isEmpty && !calls.isEmpty ? .null : .string(text)])
        if !reasoning.isEmpty { message["reasoning_content"] = .string(reasoning) }
        if !calls.isEmpty { message["tool_calls"] = .array(calls) }
        var out = JSONObject(pairs: [
            "id": .string("chatcmpl-\(requestID)"), "object": "chat.completion", "created": .number(Int(Date().timeIntervalSince1970)),
            "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "logprobs": nil, "finish_reason": finishReason(stopReason)]],
        ])
        if let usage = response["usage"]?.objectValue { out["usage"] = openAIUsage(usage) }
        return .object(out)
    }

    static func finishReason(_ reason: String?) -> JSONValue {
        switch reason {
        case nil: .null
        case "tool_use": "tool_calls"
        case "max_tokens", "model_context_window_exceeded": "length"
        case "guardrail_intervened", "content_filtered": "content_filter"
        default: "stop"
        }
    }

    static func openAIUsage(_ usage: JSONObject) -> JSONValue {
        let prompt = (usage["inputTokens"]?.intValue ?? 0) + (usage["cacheReadInputTokens"]?.intValue ?? 0) + (usage["cacheWriteInputTokens"]?.intValue ?? 0)
        let completion = usage["outputTokens"]?.intValue ?? 0
        var out = JSONObject(pairs: [
            "prompt_tokens": .number(prompt), "completion_tokens": .number(completion), "total_tokens": .number(prompt + completion),
        ])
        if let cached = usage["cacheReadInputTokens"]?.intValue, cached > 0 { out["prompt_tokens_details"] = ["cached_tokens": .number(cached)] }
        return .object(out)
    }
}
