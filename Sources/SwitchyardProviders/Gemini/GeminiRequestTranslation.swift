import SwitchyardCore

/// OpenAI chat request → Gemini `generateContent` request.
///
/// System and developer messages become `systemInstruction`; `assistant` is role `model`; tool
/// calls become `functionCall` parts and tool messages `functionResponse` parts (named by looking
/// the call id up in the conversation, as Gemini identifies calls by name); sampling parameters
/// go to `generationConfig`.
enum GeminiRequestTranslation {
    static func translate(_ request: ChatRequest) throws(GatewayError) -> JSONObject {
        var system: [JSONValue] = []
        var contents: [(role: String, parts: [JSONValue])] = []
        var callNames: [String: String] = [:]

        func append(_ role: String, _ parts: [JSONValue]) {
            guard !parts.isEmpty else { return }
            // Gemini wants turns to alternate; parallel results share one user turn.
            if let last = contents.last, last.role == role {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }

        for (i, message) in request.messages.enumerated() {
            guard let fields = message.objectValue, let role = fields["role"]?.stringValue else { continue }
            let path = "messages[\(i)]"
            switch role {
            case "system", "developer":
                system += try parts(fields["content"], path: path + ".content")
            case "user":
                append("user", try parts(fields["content"], path: path + ".content"))
            case "assistant":
                var out = try parts(fields["content"], path: path + ".content")
                for (j, call) in (fields["tool_calls"]?.arrayValue ?? []).enumerated() {
                    let callPath = "\(path).tool_calls[\(j)]"
                    guard let function = call.objectValue?["function"]?.objectValue, let name = function["name"]?.stringValue else {
                        throw .missingField(callPath + ".function.name")
                    }
                    if let id = call.objectValue?["id"]?.stringValue { callNames[id] = name }
                    var args: JSONValue = [:]
                    if case .string(let text)? = function["arguments"], !text.trimmingWhitespace().isEmpty {
                        guard case .object(let object)? = try? JSONParser.parse(text) else {
                            throw .invalidRequest("\(callPath).function.arguments must be a JSON object for Gemini", param: callPath + ".function.arguments")
                        }
                        args = .object(object)
                    }
                    out.append(["functionCall": ["name": .string(name), "args": args]])
                }
                append("model", out)
            case "tool", "function":
                let id = fields["tool_call_id"]?.stringValue ?? ""
                let name = callNames[id] ?? fields["name"]?.stringValue ?? id
                let text: String =
                    switch fields["content"] {
                    case .string(let value)?: value
                    case .array(let list)?: list.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
                    default: ""
                    }
                // `response` must be an object: JSON object results go as they are.
                let response: JSONValue =
                    if case .object(let object)? = try? JSONParser.parse(text) { .object(object) } else { ["content": .string(text)] }
                append("user", [["functionResponse": ["name": .string(name), "response": response]]])
            default:
                throw .invalidRequest("\(path).role '\(role)' has no Gemini counterpart", param: path + ".role")
            }
        }

        var out = JSONObject(pairs: ["contents": .array(contents.map { ["role": .string($0.role), "parts": .array($0.parts)] })])
        if !system.isEmpty { out["systemInstruction"] = ["parts": .array(system)] }
        if case .array(let tools)? = request["tools"], !tools.isEmpty {
            var declarations: [JSONValue] = []
            for (j, tool) in tools.enumerated() {
                guard let function = tool.objectValue?["function"]?.objectValue, let name = function["name"] else {
                    throw .missingField("tools[\(j)].function.name")
                }
                var declaration = JSONObject(pairs: ["name": name])
                if let description = function["description"], description != .null { declaration["description"] = description }
                if let parameters = function["parameters"], parameters != .null { declaration["parameters"] = parameters }
                declarations.append(.object(declaration))
            }
            out["tools"] = [["functionDeclarations": .array(declarations)]]
            switch request["tool_choice"] {
            case .string("required")?: out["toolConfig"] = ["functionCallingConfig": ["mode": "ANY"]]
            case .string("none")?: out["toolConfig"] = ["functionCallingConfig": ["mode": "NONE"]]
            case .object(let choice)?:
                let name = choice["function"]?.objectValue?["name"] ?? ""
                out["toolConfig"] = ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": [name]]]
            default: break
            }
        }
        var config = JSONObject()
        let mapping: [(String, String)] = [
            ("temperature", "temperature"), ("top_p", "topP"), ("n", "candidateCount"), ("seed", "seed"),
            ("presence_penalty", "presencePenalty"), ("frequency_penalty", "frequencyPenalty"),
        ]
        for (openAI, gemini) in mapping {
            if let value = request[openAI], value != .null { config[gemini] = value }
        }
        if let max = request["max_completion_tokens"] ?? request["max_tokens"], max != .null { config["maxOutputTokens"] = max }
        switch request["stop"] {
        case .string(let stop)?: config["stopSequences"] = [.string(stop)]
        case .array(let stops)?: config["stopSequences"] = .array(stops)
        default: break
        }
        if let format = request["response_format"]?.objectValue, format["type"] == "json_object" || format["type"] == "json_schema" {
            config["responseMimeType"] = "application/json"
        }
        if !config.isEmpty { out["generationConfig"] = .object(config) }
        return out
    }

    /// OpenAI content → Gemini parts: text, and images as `inlineData` (data URLs) or
    /// `fileData` (other URLs).
    static func parts(_ content: JSONValue?, path: String) throws(GatewayError) -> [JSONValue] {
        switch content {
        case nil, .null?: return []
        case .string(let text)?: return text.isEmpty ? [] : [["text": .string(text)]]
        case .array(let list)?:
            var out: [JSONValue] = []
            for (k, part) in list.enumerated() {
                let fields = part.objectValue ?? JSONObject()
                switch fields["type"]?.stringValue {
                case "text": out.append(["text": fields["text"] ?? ""])
                case "image_url":
                    let url = fields["image_url"]?.objectValue?["url"]?.stringValue ?? fields["image_url"]?.stringValue ?? ""
                    if url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), url[..<comma].hasSuffix(";base64") {
                        let mime = String(url[url.index(url.startIndex, offsetBy: 5)..<comma].dropLast(7))
                        out.append(["inlineData": ["mimeType": .string(mime), "data": .string(String(url[url.index(after: comma)...]))]])
                    } else {
                        out.append(["fileData": ["fileUri": .string(url)]])
                    }
                default:
                    throw .invalidRequest("\(path)[\(k)]: content part type '\(fields["type"]?.stringValue ?? "?")' is not supported by Gemini", param: "\(path)[\(k)].type")
                }
            }
            return out
        case let other?:
            throw .wrongType(path, expected: "a string or an array", got: other)
        }
    }
}
