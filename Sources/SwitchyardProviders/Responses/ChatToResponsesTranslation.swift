import SwitchyardCore

/// OpenAI chat request → Responses API request, for a target flagged `api: responses` (a model
/// only served by OpenAI's Responses API): the reverse of `ResponsesRequestTranslation`.
///
/// Messages become input items (assistant `tool_calls` become `function_call` items, `tool`
/// messages `function_call_output`s); `max_tokens` / `max_completion_tokens` become
/// `max_output_tokens`, `response_format` `text.format`, `reasoning_effort` `reasoning.effort`.
/// Nothing is stored upstream (`store: false`): the gateway keeps conversation state itself.
enum ChatToResponsesTranslation {
    static func translate(_ request: ChatRequest, model: String) throws(GatewayError) -> JSONObject {
        var input: [JSONValue] = []
        for (i, message) in request.messages.enumerated() {
            let path = "messages[\(i)]"
            guard let fields = message.objectValue, let role = fields["role"]?.stringValue else { throw .missingField(path + ".role") }
            switch role {
            case "tool":
                input.append(["type": "function_call_output", "call_id": fields["tool_call_id"] ?? "", "output": .string(text(fields["content"]))])
            case "system", "developer", "user", "assistant":
                if let content = try content(fields["content"], role: role, path: path + ".content") {
                    input.append(["role": .string(role), "content": content])
                }
                for call in fields["tool_calls"]?.arrayValue ?? [] {
                    let call = call.objectValue ?? JSONObject()
                    let function = call["function"]?.objectValue ?? JSONObject()
                    input.append([
                        "type": "function_call", "call_id": call["id"] ?? "", "name": function["name"] ?? "",
                        "arguments": function["arguments"] ?? "{}",
                    ])
                }
            default:
                throw .invalidRequest("\(path): role '\(role)' cannot be sent to a Responses API model", param: path + ".role")
            }
        }
        var out = JSONObject([(key: "model", value: .string(model)), (key: "input", value: .array(input))])
        for field in ["stop", "logit_bias", "presence_penalty", "frequency_penalty", "seed"] {
            if let value = request[field], value != .null {
                throw .invalidRequest("'\(field)' is not supported by a Responses API model", param: field)
            }
        }
        if let n = request["n"]?.intValue, n != 1 { throw .invalidRequest("'n' must be 1 for a Responses API model", param: "n") }
        if let max = request["max_completion_tokens"] ?? request["max_tokens"], max != .null { out["max_output_tokens"] = max }
        for field in ["temperature", "top_p", "parallel_tool_calls", "user", "metadata", "service_tier", "top_logprobs", "prompt_cache_key"] {
            if let value = request[field], value != .null { out[field] = value }
        }
        if let tools = request["tools"]?.arrayValue, !tools.isEmpty {
            out["tools"] = .array(tools.map { tool in
                let function = tool.objectValue?["function"]?.objectValue ?? JSONObject()
                var flat = JSONObject([(key: "type", value: "function")])
                for (key, value) in function { flat[key] = value }
                return .object(flat)
            })
        }
        switch request["tool_choice"] {
        case .object(let choice)?: out["tool_choice"] = ["type": "function", "name": choice["function"]?.objectValue?["name"] ?? ""]
        case let choice? where choice != .null: out["tool_choice"] = choice
        default: break
        }
        if let format = request["response_format"]?.objectValue {
            switch format["type"]?.stringValue {
            case "json_object": out["text"] = ["format": ["type": "json_object"]]
            case "json_schema":
                var schema = JSONObject([(key: "type", value: "json_schema")])
                for (key, value) in format["json_schema"]?.objectValue ?? JSONObject() { schema[key] = value }
                out["text"] = ["format": .object(schema)]
            default: break
            }
        }
        if let effort = request["reasoning_effort"], effort != .null { out["reasoning"] = ["effort": effort] }
        out["store"] = false
        if request.stream { out["stream"] = true }
        return out
    }

    /// Chat content → Responses message content (nil when empty: an assistant turn of only tool calls).
    static func content(_ content: JSONValue?, role: String, path: String) throws(GatewayError) -> JSONValue? {
        switch content {
        case .string(let text)?: return text.isEmpty ? nil : .string(text)
        case .array(let parts)?:
            var out: [JSONValue] = []
            for (k, part) in parts.enumerated() {
                let fields = part.objectValue ?? JSONObject()
                switch fields["type"]?.stringValue {
                case "text": out.append(["type": role == "assistant" ? "output_text" : "input_text", "text": fields["text"] ?? ""])
                case "image_url":
                    let image = fields["image_url"]?.objectValue ?? JSONObject()
                    var item = JSONObject([(key: "type", value: "input_image"), (key: "image_url", value: image["url"] ?? "")])
                    if let detail = image["detail"] { item["detail"] = detail }
                    out.append(.object(item))
                case let type:
                    throw .invalidRequest("\(path)[\(k)]: part type '\(type ?? "?")' cannot be sent to a Responses API model", param: "\(path)[\(k)].type")
                }
            }
            return out.isEmpty ? nil : .array(out)
        default: return nil
        }
    }

    static func text(_ content: JSONValue?) -> String {
        switch content {
        case .string(let text)?: text
        case .array(let parts)?: parts.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
        default: ""
        }
    }
}
