import SwitchyardCore

/// OpenAI chat request → Bedrock Converse request, by way of the Anthropic translation (Converse
/// has Anthropic's message model: alternating turns of content blocks, tool results in user
/// turns), whose blocks are then renamed:
///
/// | Anthropic | Converse |
/// |---|---|
/// | `text` | `{text}` |
/// | `image` base64 | `{image: {format, source: {bytes}}}` (URL images are a 400) |
/// | `tool_use` | `{toolUse: {toolUseId, name, input}}` |
/// | `tool_result` | `{toolResult: {toolUseId, content: [{text}]}}` |
/// | `system` | `system: [{text}]` |
/// | `max_tokens`, `temperature`, `top_p`, `stop_sequences` | `inferenceConfig` |
/// | `tools`, `tool_choice` auto / any / tool | `toolConfig` (`none` sends the tools without a choice) |
/// | `top_k` and other Anthropic-only fields | `additionalModelRequestFields` |
enum ConverseRequestTranslation {
    static func translate(_ request: ChatRequest, model: String) throws(GatewayError) -> JSONObject {
        let anthropic = try AnthropicRequestTranslation.translate(request, model: model)
        var out = JSONObject()
        var messages: [JSONValue] = []
        for (i, message) in (anthropic["messages"]?.arrayValue ?? []).enumerated() {
            guard let fields = message.objectValue else { continue }
            var content: [JSONValue] = []
            switch fields["content"] {
            case .string(let text)?: content = [["text": .string(text)]]
            case .array(let blocks)?:
                for block in blocks { content.append(try converseBlock(block, path: "messages[\(i)]")) }
            default: break
            }
            messages.append(["role": fields["role"] ?? "user", "content": .array(content)])
        }
        out["messages"] = .array(messages)
        switch anthropic["system"] {
        case .string(let text)?: out["system"] = [["text": .string(text)]]
        case .array(let blocks)?: out["system"] = .array(blocks.map { ["text": $0.objectValue?["text"] ?? ""] })
        default: break
        }
        var inference = JSONObject()
        inference["maxTokens"] = anthropic["max_tokens"]
        if let value = anthropic["temperature"] { inference["temperature"] = value }
        if let value = anthropic["top_p"] { inference["topP"] = value }
        if let value = anthropic["stop_sequences"] { inference["stopSequences"] = value }
        out["inferenceConfig"] = .object(inference)
        if case .array(let tools)? = anthropic["tools"] {
            var config = JSONObject(pairs: ["tools": .array(tools.map { tool in
                let fields = tool.objectValue ?? JSONObject()
                var spec = JSONObject(pairs: ["name": fields["name"] ?? ""])
                if let description = fields["description"] { spec["description"] = description }
                spec["inputSchema"] = ["json": fields["input_schema"] ?? ["type": "object"]]
                return ["toolSpec": .object(spec)]
            })])
            switch anthropic["tool_choice"]?.objectValue?["type"]?.stringValue {
            case "any"?: config["toolChoice"] = ["any": [:]]
            case "tool"?: config["toolChoice"] = ["tool": ["name": anthropic["tool_choice"]?.objectValue?["name"] ?? ""]]
            case "auto"?: config["toolChoice"] = ["auto": [:]]
            default: break
            }
            out["toolConfig"] = .object(config)
        }
        var additional = JSONObject()
        for field in AnthropicRequestTranslation.passThrough { if let value = anthropic[field] { additional[field] = value } }
        if !additional.isEmpty { out["additionalModelRequestFields"] = .object(additional) }
        return out
    }

    private static func converseBlock(_ block: JSONValue, path: String) throws(GatewayError) -> JSONValue {
        let fields = block.objectValue ?? JSONObject()
        switch fields["type"]?.stringValue {
        case "text": return ["text": fields["text"] ?? ""]
        case "image":
            let source = fields["source"]?.objectValue ?? JSONObject()
            guard source["type"]?.stringValue == "base64", let mediaType = source["media_type"]?.stringValue else {
                throw .invalidRequest("\(path): Bedrock takes images as base64 data: URLs only", param: path + ".content")
            }
            let format = mediaType.split(separator: "/").last.map(String.init) ?? "png"
            return ["image": ["format": .string(format == "jpg" ? "jpeg" : format), "source": ["bytes": source["data"] ?? ""]]]
        case "tool_use":
            return ["toolUse": ["toolUseId": fields["id"] ?? "", "name": fields["name"] ?? "", "input": fields["input"] ?? [:]]]
        case "tool_result":
            var content: [JSONValue] = []
            switch fields["content"] {
            case .string(let text)?: content = [["text": .string(text)]]
            case .array(let blocks)?: for inner in blocks { content.append(try converseBlock(inner, path: path)) }
            default: content = [["text": ""]]
            }
            return ["toolResult": ["toolUseId": fields["tool_use_id"] ?? "", "content": .array(content)]]
        default:
            throw .invalidRequest("\(path): content of type '\(fields["type"]?.stringValue ?? "?")' has no Bedrock counterpart", param: path + ".content")
        }
    }
}
