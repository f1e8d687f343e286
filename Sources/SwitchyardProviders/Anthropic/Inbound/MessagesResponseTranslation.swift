import SwitchyardCore

/// OpenAI `chat.completion` → Anthropic Messages answer, for clients of `POST /v1/messages`.
enum MessagesResponseTranslation {
    static func message(_ completion: JSONObject, model: String) -> JSONValue {
        let choice = completion["choices"]?.arrayValue?.first?.objectValue ?? JSONObject()
        let reply = choice["message"]?.objectValue ?? JSONObject()
        var content: [JSONValue] = []
        if case .string(let text)? = reply["content"], !text.isEmpty {
            content.append(["type": "text", "text": .string(text)])
        }
        for call in reply["tool_calls"]?.arrayValue ?? [] {
            guard let fields = call.objectValue, let function = fields["function"]?.objectValue else { continue }
            content.append([
                "type": "tool_use", "id": fields["id"] ?? "", "name": function["name"] ?? "",
                "input": toolInput(function["arguments"]),
            ])
        }
        let usage = completion["usage"]?.objectValue
        return [
            "id": .string(messageID(completion["id"]?.stringValue)), "type": "message", "role": "assistant",
            "model": .string(model), "content": .array(content),
            "stop_reason": stopReason(choice["finish_reason"]), "stop_sequence": nil,
            "usage": [
                "input_tokens": .number(usage?["prompt_tokens"]?.intValue ?? 0),
                "output_tokens": .number(usage?["completion_tokens"]?.intValue ?? 0),
            ],
        ]
    }

    /// Anthropic ids start with `msg_`; an upstream id is kept after the prefix.
    static func messageID(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "msg_switchyard" }
        return id.hasPrefix("msg_") ? id : "msg_" + id
    }

    /// The arguments string as a JSON object; text that is not one is kept under `_raw`.
    static func toolInput(_ arguments: JSONValue?) -> JSONValue {
        guard case .string(let text)? = arguments, !text.trimmingWhitespace().isEmpty else { return [:] }
        if case .object(let object)? = try? JSONParser.parse(text) { return .object(object) }
        return ["_raw": .string(text)]
    }

    /// `finish_reason` → `stop_reason`.
    static func stopReason(_ reason: JSONValue?) -> JSONValue {
        switch reason?.stringValue {
        case nil: return .null
        case "length": return "max_tokens"
        case "tool_calls", "function_call": return "tool_use"
        case "content_filter": return "refusal"
        default: return "end_turn"
        }
    }

    /// An error in Anthropic's shape: `{"type":"error","error":{"type","message"}}`.
    static func errorBody(_ error: GatewayError) -> [UInt8] {
        let type: String =
            switch error.status {
            case 400, 422: "invalid_request_error"
            case 401: "authentication_error"
            case 403: "permission_error"
            case 404: "not_found_error"
            case 413: "request_too_large"
            case 429: "rate_limit_error"
            case 503, 529: "overloaded_error"
            default: "api_error"
            }
        return JSONWriter.bytes(["type": "error", "error": ["type": .string(type), "message": .string(error.message)]])
    }
}
