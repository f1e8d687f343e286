import Yams

extension PipelineReader {
    func transform(_ node: Node, _ path: String) -> StageSpec.Kind? {
        guard let entries = reader.mapping(node, path) else { return nil }
        reader.checkKeys(entries, allowed: ["set", "default", "remove", "model", "system"], path)
        var transform = Transform()
        var model: NameRef?
        for entry in entries {
            let fieldPath = join(path, entry.key)
            switch entry.key {
            case "set", "default":
                guard case .object(var object)? = reader.json(entry.value, fieldPath) else {
                    reader.error(entry.value, fieldPath, "expected a mapping of request parameters")
                    continue
                }
                if entry.key == "set", let value = object["model"] {
                    // `set: {model: X}` is the same as `model: X`: X must be a declared model.
                    if case .string(let name) = value, let modelNode = modelValueNode(entry.value) {
                        model = NameRef(name, mark: reader.mark(modelNode, join(fieldPath, "model")))
                        transform.model = name
                    } else {
                        reader.error(entry.value, join(fieldPath, "model"), "'model' must be a model name")
                    }
                    object["model"] = nil
                }
                if entry.key == "set" { transform.set = object } else { transform.defaults = object }
            case "remove":
                let items: [Node] = if case .scalar = entry.value { [entry.value] } else { reader.sequence(entry.value, fieldPath) ?? [] }
                transform.remove = items.compactMap { reader.string($0, fieldPath) }
                if transform.remove.contains("model") { reader.error(entry.value, fieldPath, "'model' cannot be removed") }
            case "model":
                if let ref = name(entry.value, fieldPath) {
                    model = ref
                    transform.model = ref.name
                }
            case "system":
                guard let fields = reader.mapping(entry.value, fieldPath) else { continue }
                reader.checkKeys(fields, allowed: ["prepend", "append"], fieldPath)
                for field in fields {
                    let text = reader.string(field.value, join(fieldPath, field.key))
                    if field.key == "prepend" { transform.systemPrepend = text } else if field.key == "append" { transform.systemAppend = text }
                }
            default: break
            }
        }
        return .transform(transform, model: model)
    }

    private func modelValueNode(_ node: Node) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first { $0.key.scalar?.string == "model" }?.value
    }

    func retry(_ node: Node, _ path: String) -> RetryPolicy? {
        var policy = RetryPolicy()
        if case .scalar = node {
            guard let attempts = reader.int(node, path, range: 1...100) else { return nil }
            policy.attempts = attempts
            return policy
        }
        guard let entries = reader.mapping(node, path) else { return nil }
        reader.checkKeys(entries, allowed: ["attempts", "on", "backoff", "max_retry_after"], path)
        for entry in entries {
            let fieldPath = join(path, entry.key)
            switch entry.key {
            case "attempts": policy.attempts = reader.int(entry.value, fieldPath, range: 1...100) ?? policy.attempts
            case "max_retry_after": policy.maxRetryAfter = reader.duration(entry.value, fieldPath) ?? policy.maxRetryAfter
            case "backoff":
                guard let fields = reader.mapping(entry.value, fieldPath) else { continue }
                reader.checkKeys(fields, allowed: ["base", "max"], fieldPath)
                for field in fields {
                    guard let duration = reader.duration(field.value, join(fieldPath, field.key)) else { continue }
                    if field.key == "base" { policy.baseDelay = duration } else if field.key == "max" { policy.maxDelay = duration }
                }
            case "on":
                policy.statuses = []
                policy.serverErrors = false
                policy.onTimeout = false
                policy.onConnect = false
                let items: [Node] = if case .scalar = entry.value { [entry.value] } else { reader.sequence(entry.value, fieldPath) ?? [] }
                let names = ["5xx", "4xx", "timeout", "connect", "rate_limit", "429", "503"]
                for (i, item) in items.enumerated() {
                    guard let text = reader.string(item, "\(fieldPath)[\(i)]") else { continue }
                    switch text {
                    case "5xx", "server": policy.serverErrors = true
                    case "4xx": policy.clientErrors = true
                    case "timeout": policy.onTimeout = true
                    case "connect", "connection": policy.onConnect = true
                    case "rate_limit": policy.statuses.insert(429)
                    default:
                        if let status = Int(text), (400...599).contains(status) {
                            policy.statuses.insert(status)
                        } else {
                            reader.error(item, "\(fieldPath)[\(i)]", "unknown retry condition '\(text)'",
                                hint: Suggestion.didYouMean(text, among: names) ?? "use a status (429), a class (5xx), timeout or connect")
                        }
                    }
                }
            default: break
            }
        }
        return policy
    }

    func fallback(_ node: Node, _ path: String) -> StageSpec.Kind? {
        guard let entries = reader.mapping(node, path) else { return nil }
        reader.checkKeys(entries, allowed: ["to", "on"], path)
        guard let toEntry = entries.first(where: { $0.key == "to" }) else {
            reader.error(node, path, "'fallback' needs 'to' (models to try in order)")
            return nil
        }
        let toPath = join(path, "to")
        let targets: [NameRef] =
            if case .scalar = toEntry.value { name(toEntry.value, toPath).map { [$0] } ?? [] }
            else { (reader.sequence(toEntry.value, toPath) ?? []).enumerated().compactMap { name($1, "\(toPath)[\($0)]") } }
        var on: FailureClassSet = .error
        if let onEntry = entries.first(where: { $0.key == "on" }) {
            on = []
            let onPath = join(path, "on")
            let items: [Node] = if case .scalar = onEntry.value { [onEntry.value] } else { reader.sequence(onEntry.value, onPath) ?? [] }
            let names = FailureClassSet.spellings.map(\.0)
            for (i, item) in items.enumerated() {
                guard let text = reader.string(item, "\(onPath)[\(i)]") else { continue }
                if let match = FailureClassSet.spellings.first(where: { $0.0 == text }) {
                    on.insert(match.1)
                } else {
                    reader.error(item, "\(onPath)[\(i)]", "unknown failure class '\(text)'",
                        hint: Suggestion.didYouMean(text, among: names) ?? "one of: \(names.joined(separator: ", "))")
                }
            }
        }
        return .fallback(to: targets, on: on)
    }

    func limit(_ node: Node, _ path: String) -> LimitSettings? {
        guard let entries = reader.mapping(node, path) else { return nil }
        reader.checkKeys(entries, allowed: ["rpm", "tpm", "concurrent", "by"], path)
        var settings = LimitSettings()
        for entry in entries {
            let fieldPath = join(path, entry.key)
            switch entry.key {
            case "rpm": settings.rpm = reader.int(entry.value, fieldPath, range: 1...Int(Int32.max))
            case "tpm": settings.tpm = reader.int(entry.value, fieldPath, range: 1...Int(Int32.max))
            case "concurrent": settings.concurrent = reader.int(entry.value, fieldPath, range: 1...Int(Int32.max))
            case "by":
                guard let text = reader.string(entry.value, fieldPath) else { continue }
                if let subject = SplitSubject(spelling: text), subject != .random {
                    settings.by = subject
                } else {
                    let names = ["key", "user", "model", "header.NAME", "metadata.KEY"]
                    reader.error(entry.value, fieldPath, "unknown limit key '\(text)'",
                        hint: Suggestion.didYouMean(text, among: names) ?? "one of: \(names.joined(separator: ", "))")
                }
            default: break
            }
        }
        if !entries.contains(where: { ["rpm", "tpm", "concurrent"].contains($0.key) }) {
            reader.error(node, path, "'limit' needs at least one of 'rpm', 'tpm' or 'concurrent'")
        }
        return settings
    }
}
