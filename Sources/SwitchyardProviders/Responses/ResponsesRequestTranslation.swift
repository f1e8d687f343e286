import SwitchyardCore

/// Responses request → OpenAI chat request, so it runs through the same program (and reaches
/// every upstream kind) as any chat completion.
///
/// `instructions` becomes the first (system) message, then the earlier turns' items, then this
/// request's. Message items keep their role (`developer` becomes `system`); `input_text` /
/// `output_text` parts become text parts and `input_image` an `image_url` part; consecutive
/// `function_call` items become one assistant message's `tool_calls`, and each
/// `function_call_output` a `tool` message. Built-in tools and item types chat completions cannot
/// express answer 400 naming the field.
enum ResponsesRequestTranslation {
    /// - Parameters:
    ///   - request: the client's request.
    ///   - earlier: the items of the turns before it (`previous_response_id`), oldest first.
    static func chatObject(_ request: ResponsesRequest, earlier: [JSONValue]) throws(GatewayError) -> JSONObject {
        let object = request.object
        var messages: [JSONValue] = []
        if case .string(let instructions)? = object["instructions"], !instructions.isEmpty {
            messages.append(["role": "system", "content": .string(instructions)])
        }
        for (i, item) in earlier.enumerated() { try append(item, path: "previous_response_id → item \(i)", to: &messages) }
        for (i, item) in request.input.enumerated() { try append(item, path: "input[\(i)]", to: &messages) }
        guard !messages.isEmpty else { throw .missingField("input") }

        var out = JSONObject(pairs: ["model": .string(request.model), "messages": .array(messages)])
        if let tools = object["tools"]?.arrayValue, !tools.isEmpty {
            var translated: [JSONValue] = []
            for (j, tool) in tools.enumerated() { translated.append(try chatTool(tool, path: "tools[\(j)]")) }
            out["tools"] = .array(translated)
        }
        if let choice = object["tool_choice"], choice != .null { out["tool_choice"] = try chatToolChoice(choice) }
        for field in ["parallel_tool_calls", "temperature", "top_p", "metadata", "user", "service_tier", "top_logprobs", "prompt_cache_key"] {
            if let value = object[field], value != .null { out[field] = value }
        }
        if let max = object["max_output_tokens"], max != .null {
            guard max.intValue != nil else { throw .wrongType("max_output_tokens", expected: "an integer", got: max) }
            out["max_completion_tokens"] = max
        }
        if let format = object["text"]?.objectValue?["format"]?.objectValue, let responseFormat = try chatResponseFormat(format) {
            out["response_format"] = responseFormat
        }
        if let effort = object["reasoning"]?.objectValue?["effort"], effort != .null { out["reasoning_effort"] = effort }
        if request.stream {
            out["stream"] = true
            // The Responses stream ends with the usage in `response.completed`: ask every upstream for it.
            out["stream_options"] = ["include_usage": true]
        }
        return out
    }

    /// Appends one input item as chat messages.
    static func append(_ item: JSONValue, path: String, to messages: inout [JSONValue]) throws(GatewayError) {
        guard let fields = item.objectValue else { throw .wrongType(path, expected: "an object", got: item) }
        switch fields["type"]?.stringValue ?? "message" {
        case "message":
            guard let role = fields["role"]?.stringValue else { throw .missingField(path + ".role") }
            let chatRole: String
            switch role {
            case "user", "assistant", "system": chatRole = role
            case "developer": chatRole = "system"
            default: throw .invalidRequest("\(path): role '\(role)' must be user, assistant, system or developer", param: path + ".role")
            }
            messages.append(["role": .string(chatRole), "content": try chatContent(fields["content"], path: path + ".content")])
        case "function_call":
            let call: JSONValue = [
                "id": fields["call_id"] ?? "", "type": "function",
                "function": ["name": fields["name"] ?? "", "arguments": fields["arguments"] ?? "{}"],
            ]
            // Calls of one turn are one assistant message, with the text that came just before them.
            if case .object(var last)? = messages.last, last["role"]?.stringValue == "assistant" {
                last["tool_calls"] = .array((last["tool_calls"]?.arrayValue ?? []) + [call])
                messages[messages.count - 1] = .object(last)
            } else {
                messages.append(["role": "assistant", "content": nil, "tool_calls": [call]])
            }
        case "function_call_output":
            var output = fields["output"] ?? ""
            if case .array(let parts) = output { output = .array(try chatParts(parts, path: path + ".output")) }
            messages.append(["role": "tool", "tool_call_id": fields["call_id"] ?? "", "content": output])
        case "reasoning":
            break  // the upstream's own reasoning: chat completions has no way to replay it
        case let type:
            throw .invalidRequest("\(path): item type '\(type)' is not supported through the gateway", param: path + ".type")
        }
    }

    static func chatContent(_ content: JSONValue?, path: String) throws(GatewayError) -> JSONValue {
        switch content {
        case .string(let text)?: return .string(text)
        case .array(let parts)?:
            // One text part is sent as a plain string, which every chat server accepts.
            let translated = try chatParts(parts, path: path)
            if translated.count == 1, let part = translated[0].objectValue, part["type"] == "text", let text = part["text"] { return text }
            return .array(translated)
        case nil, .null?: return ""
        case let other?: throw .wrongType(path, expected: "a string or an array", got: other)
        }
    }

    /// Responses content parts → chat content parts.
    static func chatParts(_ parts: [JSONValue], path: String) throws(GatewayError) -> [JSONValue] {
        var out: [JSONValue] = []
        for (k, part) in parts.enumerated() {
            let at = "\(path)[\(k)]"
            guard let fields = part.objectValue else { throw .wrongType(at, expected: "an object", got: part) }
            switch fields["type"]?.stringValue {
            case "input_text", "output_text": out.append(["type": "text", "text": fields["text"] ?? ""])
            case "refusal": out.append(["type": "text", "text": fields["refusal"] ?? ""])
            case "input_image":
                guard case .string(let url)? = fields["image_url"] else {
                    throw .invalidRequest("\(at): only images given by 'image_url' are supported (not 'file_id')", param: at + ".image_url")
                }
                var image = JSONObject(pairs: ["url": .string(url)])
                if let detail = fields["detail"], detail != .null { image["detail"] = detail }
                out.append(["type": "image_url", "image_url": .object(image)])
            case let type:
                throw .invalidRequest("\(at): content type '\(type ?? "?")' is not supported through the gateway", param: at + ".type")
            }
        }
        return out
    }

    /// A function tool; built-in tools (`web_search`, `file_search`, `computer_use_preview`, …) are refused.
    static func chatTool(_ tool: JSONValue, path: String) throws(GatewayError) -> JSONValue {
        guard let fields = tool.objectValue else { throw .wrongType(path, expected: "an object", got: tool) }
        guard fields["type"]?.stringValue == "function" else {
            let type = fields["type"]?.stringValue ?? "?"
            throw .invalidRequest("\(path): built-in tool '\(type)' is not supported through the gateway; only function tools are", param: path + ".type")
        }
        guard let name = fields["name"], name != .null else { throw .missingField(path + ".name") }
        var function = JSONObject(pairs: ["name": name])
        for field in ["description", "parameters", "strict"] {
            if let value = fields[field], value != .null { function[field] = value }
        }
        return ["type": "function", "function": .object(function)]
    }

    static func chatToolChoice(_ choice: JSONValue) throws(GatewayError) -> JSONValue {
        switch choice {
        case .string("auto"), .string("none"), .string("required"): return choice
        case .object(let fields) where fields["type"]?.stringValue == "function":
            return ["type": "function", "function": ["name": fields["name"] ?? ""]]
        default:
            throw .invalidRequest("'tool_choice' must be auto, none, required or a function; built-in tools are not supported", param: "tool_choice")
        }
    }

    /// `text.format` → `response_format` (nil for plain text).
    static func chatResponseFormat(_ format: JSONObject) throws(GatewayError) -> JSONValue? {
        switch format["type"]?.stringValue {
        case "text", nil: return nil
        case "json_object": return ["type": "json_object"]
        case "json_schema":
            var schema = JSONObject(pairs: ["name": format["name"] ?? "response"])
            for field in ["description", "schema", "strict"] {
                if let value = format[field], value != .null { schema[field] = value }
            }
            return ["type": "json_schema", "json_schema": .object(schema)]
        case let type?:
            throw .invalidRequest("text.format type '\(type)' is not supported", param: "text.format.type")
        }
    }
}
