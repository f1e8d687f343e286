/// `transform:` — rewrites request parameters before later stages see the request.
///
/// ```yaml
/// - transform:
///     set: {temperature: 0.2}           # always
///     default: {max_tokens: 512}        # only when the client did not send it
///     remove: [logit_bias]
///     model: fast                       # the model later stages (and route-requested) see
///     system: {prepend: "Be brief.", append: "Answer in English."}
/// ```
public struct Transform: Sendable {
    public var set = JSONObject()
    public var defaults = JSONObject()
    public var remove: [String] = []
    /// The new client-visible model name (checked against `models:` at compile time).
    public var model: String?
    public var systemPrepend: String?
    public var systemAppend: String?

    public init() {}

    /// Whether applying it can change the messages (so cached content must be recomputed).
    var touchesMessages: Bool {
        systemPrepend != nil || systemAppend != nil || set["messages"] != nil || remove.contains("messages")
    }

    func apply(to request: inout ChatRequest) {
        for field in remove { request.set(field, nil) }
        for field in set { request.set(field.key, field.value) }
        for field in defaults where request[field.key] == nil || request[field.key] == .null {
            request.set(field.key, field.value)
        }
        if let model { request.set("model", .string(model)) }
        if systemPrepend != nil || systemAppend != nil { applySystem(to: &request) }
    }

    /// Adds text to the first system (or developer) message, creating one at the start if none.
    private func applySystem(to request: inout ChatRequest) {
        var messages = request.messages
        let index = messages.firstIndex {
            let role = $0.objectValue?["role"]?.stringValue
            return role == "system" || role == "developer"
        }
        if let index, case .object(var message) = messages[index] {
            switch message["content"] {
            case .string(let text)?:
                message["content"] = .string([systemPrepend, text, systemAppend].compactMap { $0 }.joined(separator: "\n\n"))
            case .array(var parts)?:
                if let systemPrepend { parts.insert(["type": "text", "text": .string(systemPrepend)], at: 0) }
                if let systemAppend { parts.append(["type": "text", "text": .string(systemAppend)]) }
                message["content"] = .array(parts)
            default:
                message["content"] = .string([systemPrepend, systemAppend].compactMap { $0 }.joined(separator: "\n\n"))
            }
            messages[index] = .object(message)
        } else {
            let text = [systemPrepend, systemAppend].compactMap { $0 }.joined(separator: "\n\n")
            messages.insert(["role": "system", "content": .string(text)], at: 0)
        }
        request.set("messages", .array(messages))
    }

    var summary: String {
        var parts: [String] = []
        if let model { parts.append("model=\(model)") }
        if !set.isEmpty { parts.append("set " + set.keys.joined(separator: ",")) }
        if !defaults.isEmpty { parts.append("default " + defaults.keys.joined(separator: ",")) }
        if !remove.isEmpty { parts.append("remove " + remove.joined(separator: ",")) }
        if systemPrepend != nil { parts.append("system prepend") }
        if systemAppend != nil { parts.append("system append") }
        return parts.joined(separator: "; ")
    }
}
