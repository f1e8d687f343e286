import Foundation
import NIOHTTP1
import SwitchyardCore

/// Gemini `GenerateContentResponse` → OpenAI `chat.completion` (and the pieces the stream
/// translator shares): text parts → `content`, `functionCall` parts → `tool_calls` (ids are
/// made up, `call_<n>`: Gemini names calls, it does not number them), `finishReason` →
/// `finish_reason`, `usageMetadata` → usage. A prompt blocked for safety is a `content_policy`
/// error.
enum GeminiResponseTranslation {
    static func chatCompletion(_ response: JSONObject, model: String, provider: String) throws(GatewayError) -> JSONValue {
        if let blocked = blockedPrompt(response, provider: provider) { throw blocked }
        let candidate = response["candidates"]?.arrayValue?.first?.objectValue ?? JSONObject()
        var text = ""
        var calls: [JSONValue] = []
        for part in candidate["content"]?.objectValue?["parts"]?.arrayValue ?? [] {
            guard let fields = part.objectValue else { continue }
            if let piece = fields["text"]?.stringValue, fields["thought"]?.boolValue != true { text += piece }
            if let call = fields["functionCall"]?.objectValue { calls.append(toolCall(call, index: calls.count)) }
        }
        var message = JSONObject(pairs: ["role": "assistant", "content": text.isEmpty && !calls.isEmpty ? .null : .string(text)])
        if !calls.isEmpty { message["tool_calls"] = .array(calls) }
        var out = JSONObject(pairs: [
            "id": .string("chatcmpl-" + (response["responseId"]?.stringValue ?? "gemini")), "object": "chat.completion",
            "created": .number(Int(Date().timeIntervalSince1970)), "model": response["modelVersion"] ?? .string(model),
            "choices": [["index": 0, "message": .object(message), "logprobs": nil, "finish_reason": finishReason(candidate["finishReason"], hasCalls: !calls.isEmpty)]],
        ])
        if let usage = response["usageMetadata"]?.objectValue { out["usage"] = openAIUsage(usage) }
        return .object(out)
    }

    static func toolCall(_ call: JSONObject, index: Int) -> JSONValue {
        [
            "id": call["id"] ?? .string("call_\(index)"), "type": "function",
            "function": ["name": call["name"] ?? "", "arguments": .string(JSONWriter.string(call["args"] ?? [:]))],
        ]
    }

    static func finishReason(_ reason: JSONValue?, hasCalls: Bool) -> JSONValue {
        switch reason?.stringValue {
        case nil: return .null
        case "STOP": return hasCalls ? "tool_calls" : "stop"
        case "MAX_TOKENS": return "length"
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY": return "content_filter"
        case "MALFORMED_FUNCTION_CALL": return "tool_calls"
        default: return "stop"
        }
    }

    static func openAIUsage(_ usage: JSONObject) -> JSONValue {
        let prompt = usage["promptTokenCount"]?.intValue ?? 0
        let completion = (usage["candidatesTokenCount"]?.intValue ?? 0) + (usage["thoughtsTokenCount"]?.intValue ?? 0)
        var out = JSONObject(pairs: [
            "prompt_tokens": .number(prompt), "completion_tokens": .number(completion),
            "total_tokens": .number(usage["totalTokenCount"]?.intValue ?? prompt + completion),
        ])
        if let cached = usage["cachedContentTokenCount"]?.intValue, cached > 0 { out["prompt_tokens_details"] = ["cached_tokens": .number(cached)] }
        return .object(out)
    }

    /// `promptFeedback.blockReason` with no candidates: the prompt itself was refused.
    static func blockedPrompt(_ response: JSONObject, provider: String) -> GatewayError? {
        guard let reason = response["promptFeedback"]?.objectValue?["blockReason"]?.stringValue,
            (response["candidates"]?.arrayValue ?? []).isEmpty
        else { return nil }
        let message = "upstream provider '\(provider)' blocked the prompt (\(reason))"
        return UpstreamFailure.classified(status: 400, message: message, code: "content_policy_violation")
    }
}

/// Gemini errors (`{"error":{"code","message","status"}}`) with a `code` retry and fallback can
/// classify: the token-limit message is a context-window failure.
enum GeminiErrors {
    static func gatewayError(provider: String) -> @Sendable (Int, HTTPHeaders, [UInt8]) -> GatewayError? {
        { status, _, body in
            guard case .object(let object)? = try? JSONParser.parse(body), let error = object["error"]?.objectValue else { return nil }
            let message = error["message"]?.stringValue ?? "upstream provider '\(provider)' returned HTTP \(status)"
            let lowered = message.lowercased()
            let code: String =
                if lowered.contains("token count") && lowered.contains("exceeds") { "context_length_exceeded" }
                else if lowered.contains("safety") || lowered.contains("blocked") { "content_policy_violation" }
                else { error["status"]?.stringValue ?? "upstream_error" }
            return UpstreamFailure.classified(status: status, message: message, code: code)
        }
    }
}
