/// A compiled `when:` condition. Operands are converted, globs split and regexes compiled when
/// the configuration loads; evaluation reads only the request.
public indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case test(RequestField, Matcher)
    /// `has: tools|images|json_schema` (all listed must hold).
    case has([Capability])

    public enum Capability: String, Sendable, CaseIterable {
        case tools
        case images
        case jsonSchema = "json_schema"
    }

    /// Whether the condition holds for the request.
    func holds(_ facts: inout RequestFacts) -> Bool {
        switch self {
        case .all(let conditions):
            for condition in conditions where !condition.holds(&facts) { return false }
            return true
        case .any(let conditions):
            for condition in conditions where condition.holds(&facts) { return true }
            return false
        case .not(let condition):
            return !condition.holds(&facts)
        case .test(let field, let matcher):
            return matcher.matches(facts.value(of: field))
        case .has(let capabilities):
            for capability in capabilities where !facts.has(capability) { return false }
            return true
        }
    }

    /// A short rendering for `check`, `graph` and `explain` (`header.x-team = research`).
    public var summary: String {
        switch self {
        case .all(let conditions): conditions.map(\.summary).joined(separator: " and ")
        case .any(let conditions): "(" + conditions.map(\.summary).joined(separator: " or ") + ")"
        case .not(let condition): "not (\(condition.summary))"
        case .test(let field, let matcher): "\(field.name) \(matcher.summary)"
        case .has(let capabilities): "has " + capabilities.map(\.rawValue).joined(separator: ", ")
        }
    }
}

/// A request field a condition can read; resolved from its YAML spelling once.
public enum RequestField: Sendable, Equatable {
    case model, stream, user, key, team, tokens, messages, content
    case header(String)
    case metadata(String)
    /// `key.metadata.X`: a value of the virtual key's own metadata.
    case keyMetadata(String)
    case param([String])

    /// Field names accepted in `when:` (prefixes end with a dot).
    static let spellings = [
        "model", "stream", "user", "key", "team", "tokens", "messages", "content", "header.", "metadata.", "key.metadata.", "param.",
    ]

    /// Parses a YAML key such as `header.x-team`; nil when it names no field.
    init?(spelling: String) {
        switch spelling {
        case "model": self = .model
        case "stream": self = .stream
        case "user": self = .user
        case "key": self = .key
        case "team": self = .team
        case "tokens": self = .tokens
        case "messages": self = .messages
        case "content": self = .content
        default:
            if spelling.hasPrefix("header."), spelling.count > 7 {
                self = .header(String(spelling.dropFirst(7)).lowercased())
            } else if spelling.hasPrefix("metadata."), spelling.count > 9 {
                self = .metadata(String(spelling.dropFirst(9)))
            } else if spelling.hasPrefix("key.metadata."), spelling.count > 13 {
                self = .keyMetadata(String(spelling.dropFirst(13)))
            } else if spelling.hasPrefix("param."), spelling.count > 6 {
                self = .param(spelling.dropFirst(6).split(separator: ".").map(String.init))
            } else {
                return nil
            }
        }
    }

    public var name: String {
        switch self {
        case .model: "model"
        case .stream: "stream"
        case .user: "user"
        case .key: "key"
        case .team: "team"
        case .tokens: "tokens"
        case .messages: "messages"
        case .content: "content"
        case .header(let name): "header.\(name)"
        case .metadata(let key): "metadata.\(key)"
        case .keyMetadata(let key): "key.metadata.\(key)"
        case .param(let path): "param.\(path.joined(separator: "."))"
        }
    }
}

/// A field's value for one request, in the few shapes conditions compare.
public enum FieldValue: Sendable, Equatable {
    case missing
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// An array or object (compared structurally).
    case json(JSONValue)

    init(_ json: JSONValue?) {
        switch json {
        case nil: self = .missing
        case .null?: self = .null
        case .bool(let b)?: self = .bool(b)
        case .number(let n)?: self = Double(n).map { .number($0) } ?? .string(n)
        case .string(let s)?: self = .string(s)
        case let other?: self = .json(other)
        }
    }

    var number: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s)
        default: nil
        }
    }

    /// Text for regex and glob matching.
    var text: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }

    /// Equality with loose scalar comparison: `"5"` equals `5`, `"true"` equals `true`.
    func equals(_ other: FieldValue) -> Bool {
        switch (self, other) {
        case (.missing, _), (_, .missing): return false
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.json(let a), .json(let b)): return a == b
        case (.string, .number), (.number, .string):
            guard let a = number, let b = other.number else { return false }
            return a == b
        case (.string, .bool), (.bool, .string): return text == other.text
        default: return false
        }
    }

    var summary: String {
        switch self {
        case .missing: "missing"
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number: text ?? ""
        case .string(let s): s
        case .json(let j): JSONWriter.string(j)
        }
    }
}
