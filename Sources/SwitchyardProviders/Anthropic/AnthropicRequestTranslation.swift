import SwitchyardCore

/// OpenAI chat request → Anthropic Messages request.
///
/// System and developer messages are lifted to `system`; tool calls become `tool_use` blocks and
/// tool messages `tool_result` blocks (consecutive results share one user turn, which parallel
/// tool calls need); `stop` becomes `stop_sequences`; `max_tokens` is defaulted because
/// Anthropic requires it. OpenAI parameters Anthropic has no counterpart for are dropped.
enum AnthropicRequestTranslation {
    /// Sent when the client gives neither `max_tokens` nor `max_completion_tokens`.
    static let defaultMaxTokens = 4096
    /// Anthropic-only fields a client may send through an OpenAI request.
    static let passThrough = ["top_k", "thinking", "service_tier"]

    static func translate(_ request: ChatRequest, model: String) throws(GatewayError) -> JSONObject {
        var out = JSONObject()
        out["model"] = .string(model)
        var system: [JSONValue] = []
        var messages: [(role: String, blocks: [JSONValue], plain: String?, fromTools: Bool)] = []

        func append(_ role: String, _ blocks: [JSONValue], plain: String? = nil, fromTools: Bool = false) {
            // Tool results (and what follows them in the same user turn) share one message.
            if role == "user", let last = messages.last, last.role == "user", last.fromTools {
                messages[messages.count - 1].blocks += blocks
                messages[messages.count - 1].plain = nil
                messages[messages.count - 1].fromTools = fromTools
                return
            }
            messages.append((role, blocks, plain, fromTools))
        }

        for (i, message) in request.messages.enumerated() {
            guard let fields = message.objectValue, let role = fields["role"]?.stringValue else { continue }
            let path = "messages[\(i)]"
            switch role {
            case "system", "developer":
                for block in try blocks(fields["content"], path: path + ".content") {
                    guard block.objectValue?["type"]?.stringValue == "text" else {
                        throw .invalidRequest("\(path): a system message may only hold text", param: path + ".content")
                    }
                    system.append(block)
                }
            case "user":
                if case .string(let text)? = fields["content"] {
                    append("user", [["type": "text", "text": .string(text)]], plain: text)
                } else {
                    append("user", try blocks(fields["content"], path: path + ".content"))
                }
            case "assistant":
                var content: [JSONValue] = []
                var plain: String?
                switch fields["content"] {
                case .string(let text)?:
                    if !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
                    plain = text
                case .array?:
                    content = try blocks(fields["content"], path: path + ".content")
                default: break
                }
                if case .array(let calls)? = fields["tool_calls"] {
                    plain = nil
                    for (j, call) in calls.enumerated() {
                        content.append(try toolUse(call, path: "\(path).tool_calls[\(j)]"))
                    }
                }
                if content.isEmpty { continue }
                append("assistant", content, plain: plain?.isEmpty == false ? plain : nil)
            case "tool", "function":
                let id = fields["tool_call_id"]?.stringValue ?? fields["name"]?.stringValue ?? ""
                var result = JSONObject(pairs: ["type": "tool_result", "tool_use_id": .string(id)])
                switch fields["content"] {
                case .string(let text)?: result["content"] = .string(text)
                case .array?: result["content"] = .array(try blocks(fields["content"], path: path + ".content"))
                default: break
                }
                append("user", [.object(result)], fromTools: true)
            default:
                throw .invalidRequest("\(path).role '\(role)' has no Anthropic counterpart", param: path + ".role")
            }
        }

        if !system.isEmpty {
            if system.count == 1, let text = system[0].objectValue?["text"] {
                out["system"] = text
            } else {
                out["system"] = .array(system)
            }
        }
        out["messages"] = .array(messages.map { message in
            let content: JSONValue = message.plain.map { .string($0) } ?? .array(message.blocks)
            return ["role": .string(message.role), "content": content]
        })
        out["max_tokens"] = request["max_completion_tokens"].flatMap(nonNull) ?? request["max_tokens"].flatMap(nonNull) ?? .number(defaultMaxTokens)
        if let stop = request["stop"] {
            switch stop {
            case .string(let text): out["stop_sequences"] = [.string(text)]
            case .array(let list): out["stop_sequences"] = .array(list)
            default: break
            }
        }
        for field in ["temperature", "top_p"] {
            if let value = request[field], value != .null { out[field] = value }
        }
        for field in passThrough {
            if let value = request[field], value != .null { out[field] = value }
        }
        if let user = request.user { out["metadata"] = ["user_id": .string(user)] }
        if case .array(let tools)? = request["tools"], !tools.isEmpty {
            var translated: [JSONValue] = []
            for (j, tool) in tools.enumerated() { translated.append(try anthropicTool(tool, path: "tools[\(j)]")) }
            out["tools"] = .array(translated)
            if let choice = try toolChoice(request["tool_choice"], parallel: request["parallel_tool_calls"]?.boolValue) {
                out["tool_choice"] = choice
            }
        }
        if request.stream { out["stream"] = true }
        return out
    }

    private static func nonNull(_ value: JSONValue) -> JSONValue? { value == .null ? nil : value }

    /// OpenAI content (string or parts) → Anthropic content blocks.
    static func blocks(_ content: JSONValue?, path: String) throws(GatewayError) -> [JSONValue] {
        switch content {
        case nil, .null?: return []
        case .string(let text)?: return text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
        case .array(let parts)?:
            var out: [JSONValue] = []
            for (k, part) in parts.enumerated() {
                let partPath = "\(path)[\(k)]"
                guard let fields = part.objectValue else { throw .wrongType(partPath, expected: "an object", got: part) }
                switch fields["type"]?.stringValue {
                case "text":
                    guard case .string(let text)? = fields["text"] else { throw .missingField(partPath + ".text") }
                    if !text.isEmpty { out.append(["type": "text", "text": .string(text)]) }
                case "image_url":
                    let url = fields["image_url"]?.objectValue?["url"]?.stringValue ?? fields["image_url"]?.stringValue
                    guard let url else { throw .missingField(partPath + ".image_url.url") }
                    out.append(try image(url: url, path: partPath))
                default:
                    throw .invalidRequest("\(partPath): content part type '\(fields["type"]?.stringValue ?? "?")' is not supported by Anthropic", param: partPath + ".type")
                }
            }
            return out
        case let other?:
            throw .wrongType(path, expected: "a string or an array", got: other)
        }
    }

    /// An image part: a `data:` URL becomes a base64 source, anything else a URL source.
    static func image(url: String, path: String) throws(GatewayError) -> JSONValue {
        guard url.hasPrefix("data:") else {
            return ["type": "image", "source": ["type": "url", "url": .string(url)]]
        }
        // data:<media type>;base64,<data>
        guard let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64") else {
            throw .invalidRequest("\(path): image data URLs must be base64 encoded", param: path + ".image_url.url")
        }
        let mediaType = url[url.index(url.startIndex, offsetBy: 5)..<comma].dropLast(7)
        return ["type": "image", "source": ["type": "base64", "media_type": .string(String(mediaType)), "data": .string(String(url[url.index(after: comma)...]))]]
    }

    /// An OpenAI tool call → a `tool_use` block; arguments must be a JSON object.
    static func toolUse(_ call: JSONValue, path: String) throws(GatewayError) -> JSONValue {
        guard let fields = call.objectValue, let function = fields["function"]?.objectValue else {
            throw .missingField(path + ".function")
        }
        guard let name = function["name"]?.stringValue else { throw .missingField(path + ".function.name") }
        var input: JSONValue = [:]
        if case .string(let arguments)? = function["arguments"], !arguments.trimmingWhitespace().isEmpty {
            guard case .object(let object)? = try? JSONParser.parse(arguments) else {
                throw .invalidRequest("\(path).function.arguments must be a JSON object for Anthropic", param: path + ".function.arguments")
            }
            input = .object(object)
        }
        return ["type": "tool_use", "id": fields["id"] ?? .string(""), "name": .string(name), "input": input]
    }

    static func anthropicTool(_ tool: JSONValue, path: String) throws(GatewayError) -> JSONValue {
        guard let function = tool.objectValue?["function"]?.objectValue, let name = function["name"] else {
            throw .missingField(path + ".function.name")
        }
        var out = JSONObject(pairs: ["name": name])
        if let description = function["description"], description != .null { out["description"] = description }
        out["input_schema"] = function["parameters"].flatMap(nonNull) ?? ["type": "object", "properties": [:]]
        return .object(out)
    }

    /// `tool_choice` (and `parallel_tool_calls: false`) → Anthropic's `tool_choice` object.
    static func toolChoice(_ choice: JSONValue?, parallel: Bool?) throws(GatewayError) -> JSONValue? {
        var out: JSONObject
        switch choice {
        case nil, .null?, .string("auto")?: out = JSONObject(pairs: ["type": "auto"])
        case .string("required")?: out = JSONObject(pairs: ["type": "any"])
        case .string("none")?: out = JSONObject(pairs: ["type": "none"])
        case .object(let fields)?:
            guard let name = fields["function"]?.objectValue?["name"] else { throw .missingField("tool_choice.function.name") }
            out = JSONObject(pairs: ["type": "tool", "name": name])
        case let other?:
            throw .invalidRequest("tool_choice \(JSONWriter.string(other)) is not supported", param: "tool_choice")
        }
        if parallel == false, out["type"] != "none" { out["disable_parallel_tool_use"] = true }
        if choice == nil || choice == .null, parallel != false { return nil }
        return .object(out)
    }
}
