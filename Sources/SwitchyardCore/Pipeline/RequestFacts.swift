/// What conditions, splits and limits read from one request: the body, the caller's headers and
/// key. Derived values (all message text, the token estimate) are computed at most once and
/// forgotten when a transform changes the messages.
struct RequestFacts {
    var request: ChatRequest
    let headers: RequestHeaders
    let keyAlias: String?
    let caller: Caller
    private var cachedContent: String?
    private var cachedTokens: Int?

    init(request: ChatRequest, headers: RequestHeaders, keyAlias: String?, caller: Caller = Caller()) {
        self.request = request
        self.headers = headers
        self.keyAlias = keyAlias
        self.caller = caller
    }

    /// Call after changing the request's messages.
    mutating func invalidate() {
        cachedContent = nil
        cachedTokens = nil
    }

    /// The text of every message, joined by newlines.
    mutating func content() -> String {
        if let cachedContent { return cachedContent }
        var text = ""
        for message in request.messages {
            switch message.objectValue?["content"] {
            case .string(let part)?:
                if !text.isEmpty { text += "\n" }
                text += part
            case .array(let parts)?:
                for part in parts {
                    if let part = part.objectValue?["text"]?.stringValue {
                        if !text.isEmpty { text += "\n" }
                        text += part
                    }
                }
            default: break
            }
        }
        cachedContent = text
        return text
    }

    /// Estimated prompt tokens: about four UTF-8 bytes per token, as OpenAI's rule of thumb.
    mutating func estimatedTokens() -> Int {
        if let cachedTokens { return cachedTokens }
        // Count the bytes `content()` would join, without building the string.
        var count = 0
        var parts = 0
        for message in request.messages {
            switch message.objectValue?["content"] {
            case .string(let part)?:
                count += part.utf8.count
                parts += 1
            case .array(let items)?:
                for item in items {
                    if let part = item.objectValue?["text"]?.stringValue {
                        count += part.utf8.count
                        parts += 1
                    }
                }
            default: break
            }
        }
        count += max(0, parts - 1)
        let tokens = count == 0 ? 0 : (count + 3) / 4
        cachedTokens = tokens
        return tokens
    }

    mutating func value(of field: RequestField) -> FieldValue {
        switch field {
        case .model: return FieldValue(request["model"])
        case .stream: return .bool(request.stream)
        case .user: return FieldValue(request["user"])
        case .key: return keyAlias.map { .string($0) } ?? .missing
        case .team: return caller.team.map { .string($0) } ?? .missing
        case .keyMetadata(let key): return FieldValue(caller.keyMetadata[key])
        case .tokens: return .number(Double(estimatedTokens()))
        case .messages: return .number(Double(request.messages.count))
        case .content: return .string(content())
        case .header(let name): return headers[name].map { .string($0) } ?? .missing
        case .metadata(let key): return FieldValue(request["metadata"]?.objectValue?[key])
        case .param(let path):
            var value = request[path[0]]
            for component in path.dropFirst() {
                switch value {
                case .object(let object)?: value = object[component]
                case .array(let array)?: value = Int(component).flatMap { array.indices.contains($0) ? array[$0] : nil }
                default: value = nil
                }
            }
            return FieldValue(value)
        }
    }

    /// The text a split or limit keys on; nil when the request does not carry it.
    mutating func subject(_ subject: SplitSubject) -> String? {
        switch subject {
        case .random: return nil
        case .user: return request.user
        case .key: return keyAlias
        case .team: return caller.team
        case .model: return request["model"]?.stringValue
        case .header(let name): return headers[name]
        case .metadata(let key): return FieldValue(request["metadata"]?.objectValue?[key]).text
        }
    }

    mutating func has(_ capability: Condition.Capability) -> Bool {
        switch capability {
        case .tools:
            return !(request["tools"]?.arrayValue?.isEmpty ?? true) || !(request["functions"]?.arrayValue?.isEmpty ?? true)
        case .jsonSchema:
            return request["response_format"]?.objectValue?["type"]?.stringValue == "json_schema"
        case .images:
            for message in request.messages {
                guard case .array(let parts)? = message.objectValue?["content"] else { continue }
                for part in parts {
                    let type = part.objectValue?["type"]?.stringValue
                    if type == "image_url" || type == "input_image" || type == "image" { return true }
                }
            }
            return false
        }
    }
}

/// The caller's HTTP headers, looked up by lower-case name. The front end supplies the lookup,
/// so the engine never sees Hummingbird's types.
public struct RequestHeaders: Sendable {
    private let lookup: @Sendable (String) -> String?

    public init(_ lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// Headers from a list of pairs (tests, `explain`).
    public init(_ pairs: [(name: String, value: String)]) {
        let lowered = pairs.map { (name: $0.name.lowercased(), value: $0.value) }
        self.lookup = { name in
            let count = name.utf8.count
            return lowered.first { $0.name.utf8.count == count && $0.name == name }?.value
        }
    }

    public static let none = RequestHeaders { _ in nil }

    public subscript(name: String) -> String? { lookup(name) }
}

/// What a split or a limit keys on.
public enum SplitSubject: Sendable, Equatable {
    case random, user, key, team, model
    case header(String)
    case metadata(String)

    init?(spelling: String) {
        switch spelling {
        case "random": self = .random
        case "user": self = .user
        case "key": self = .key
        case "team": self = .team
        case "model": self = .model
        default:
            if spelling.hasPrefix("header."), spelling.count > 7 {
                self = .header(String(spelling.dropFirst(7)).lowercased())
            } else if spelling.hasPrefix("metadata."), spelling.count > 9 {
                self = .metadata(String(spelling.dropFirst(9)))
            } else {
                return nil
            }
        }
    }

    public var name: String {
        switch self {
        case .random: "random"
        case .user: "user"
        case .key: "key"
        case .team: "team"
        case .model: "model"
        case .header(let name): "header.\(name)"
        case .metadata(let key): "metadata.\(key)"
        }
    }
}
