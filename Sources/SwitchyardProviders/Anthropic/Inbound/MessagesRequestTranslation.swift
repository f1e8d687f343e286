import SwitchyardCore

/// Anthropic Messages request (a client of `POST /v1/messages`) → OpenAI chat request, so it
/// runs through the same program as any chat completion.
///
/// `system` becomes the first message; `tool_result` blocks become `tool` messages placed before
/// the rest of their user turn; `tool_use` blocks become `tool_calls` (input encoded as the
/// arguments string); images become `image_url` parts (base64 as `data:` URLs).
enum MessagesRequestTranslation {
    static func translate(_ object: JSONObject) throws(GatewayError) -> JSONObject {
        guard let model = object["model"] else { throw .missingField("model") }
        guard case .array(let input)? = object["messages"] else { throw .missingField("messages") }
        var messages: [JSONValue] = []
        switch object["system"] {
        case .string(let text)?: messages.append(["role": "system", "content": .string(text)])
        case .array(let blocks)?: messages.append(["role": "system", "content": .array(try parts(blocks, path: "system"))])
        default: break
        }
        for (i, message) in input.enumerated() {
            let path = "messages[\(i)]"
            guard let fields = message.objectValue, let role = fields["role"]?.stringValue else { throw .missingField(path + ".role") }
            switch (role, fields["content"]) {
            case (_, .string(let text)?):
                messages.append(["role": .string(role), "content": .string(text)])
            case ("user", .array(let blocks)?):
                var rest: [JSONValue] = []
                for (k, block) in blocks.enumerated() {
                    if block.objectValue?["type"]?.stringValue == "tool_result" {
                        messages.append(try toolMessage(block, path: "\(path).content[\(k)]"))
                    } else {
                        rest.append(block)
                    }
                }
                if !rest.isEmpty { messages.append(["role": "user", "content": .array(try parts(rest, path: path + ".content"))]) }
            case ("assistant", .array(let blocks)?):
                var text = ""
                var calls: [JSONValue] = []
                for block in blocks {
                    guard let fields = block.objectValue else { continue }
                    switch fields["type"]?.stringValue {
                    case "text": text += fields["text"]?.stringValue ?? ""
                    case "tool_use":
                        calls.append([
                            "id": fields["id"] ?? "", "type": "function",
                            "function": ["name": fields["name"] ?? "", "arguments": .string(JSONWriter.string(fields["input"] ?? [:]))],
                        ])
                    default: break  // thinking blocks are the upstream's own; not replayed
                    }
                }
                var out = JSONObject(pairs: ["role": "assistant", "content": text.isEmpty && !calls.isEmpty ? .null : .string(text)])
                if !calls.isEmpty { out["tool_calls"] = .array(calls) }
                messages.append(.object(out))
            default:
                throw .invalidRequest("\(path): role '\(role)' must be user or assistant", param: path + ".role")
            }
        }

        var out = JSONObject(pairs: ["model": model, "messages": .array(messages)])
        if let maxTokens = object["max_tokens"] { out["max_tokens"] = maxTokens }
        if case .array(let stops)? = object["stop_sequences"], !stops.isEmpty { out["stop"] = .array(stops) }
        for field in ["temperature", "top_p"] {
            if let value = object[field], value != .null { out[field] = value }
        }
        if let user = object["metadata"]?.objectValue?["user_id"], user != .null { out["user"] = user }
        if case .array(let tools)? = object["tools"], !tools.isEmpty {
            var translated: [JSONValue] = []
            for (j, tool) in tools.enumerated() { translated.append(try openAITool(tool, path: "tools[\(j)]")) }
            out["tools"] = .array(translated)
            if let choice = object["tool_choice"]?.objectValue {
                switch choice["type"]?.stringValue {
                case "any": out["tool_choice"] = "required"
                case "none": out["tool_choice"] = "none"
                case "tool": out["tool_choice"] = ["type": "function", "function": ["name": choice["name"] ?? ""]]
                default: out["tool_choice"] = "auto"
                }
                if choice["disable_parallel_tool_use"]?.boolValue == true { out["parallel_tool_calls"] = false }
            }
        }
        if object["stream"]?.boolValue == true {
            out["stream"] = true
            // The Anthropic stream reports usage in `message_delta`; ask every upstream for it.
            out["stream_options"] = ["include_usage": true]
        }
        return out
    }

    /// Anthropic content blocks → OpenAI content parts.
    static func parts(_ blocks: [JSONValue], path: String) throws(GatewayError) -> [JSONValue] {
        var out: [JSONValue] = []
        for (k, block) in blocks.enumerated() {
            guard let fields = block.objectValue else { throw .wrongType("\(path)[\(k)]", expected: "an object", got: block) }
            switch fields["type"]?.stringValue {
            case "text": out.append(["type": "text", "text": fields["text"] ?? ""])
            case "image":
                let source = fields["source"]?.objectValue ?? JSONObject()
                switch source["type"]?.stringValue {
                case "base64":
                    let url = "data:\(source["media_type"]?.stringValue ?? "image/png");base64,\(source["data"]?.stringValue ?? "")"
                    out.append(["type": "image_url", "image_url": ["url": .string(url)]])
                case "url":
                    out.append(["type": "image_url", "image_url": ["url": source["url"] ?? ""]])
                default:
                    throw .invalidRequest("\(path)[\(k)]: image source '\(source["type"]?.stringValue ?? "?")' is not supported", param: "\(path)[\(k)].source")
                }
            default:
                throw .invalidRequest("\(path)[\(k)]: content block type '\(fields["type"]?.stringValue ?? "?")' is not supported", param: "\(path)[\(k)].type")
            }
        }
        return out
    }

    static func toolMessage(_ block: JSONValue, path: String) throws(GatewayError) -> JSONValue {
        let fields = block.objectValue ?? JSONObject()
        var content: JSONValue
        switch fields["content"] {
        case .string(let text)?: content = .string(text)
        case .array(let blocks)?: content = .array(try parts(blocks, path: path + ".content"))
        default: content = ""
        }
        if fields["is_error"]?.boolValue == true, case .string(let text) = content { content = .string("Error: " + text) }
        return ["role": "tool", "tool_call_id": fields["tool_use_id"] ?? "", "content": content]
    }

    static func openAITool(_ tool: JSONValue, path: String) throws(GatewayError) -> JSONValue {
        guard let fields = tool.objectValue, let name = fields["name"] else { throw .missingField(path + ".name") }
        if let type = fields["type"]?.stringValue, type != "custom" {
            throw .invalidRequest("\(path): server tool '\(type)' is not supported through the gateway", param: path + ".type")
        }
        var function = JSONObject(pairs: ["name": name])
        if let description = fields["description"], description != .null { function["description"] = description }
        function["parameters"] = fields["input_schema"] ?? ["type": "object", "properties": [:]]
        return ["type": "function", "function": .object(function)]
    }
}
