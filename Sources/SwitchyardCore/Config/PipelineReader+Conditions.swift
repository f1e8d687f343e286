import Foundation
import SwitchyardScrub
import Yams

extension PipelineReader {
    static let combinators = ["any", "all", "not", "has"]

    /// A `when:` mapping: every key must hold.
    func condition(_ node: Node, _ path: String) -> Condition? {
        guard let entries = reader.mapping(node, path) else { return nil }
        if entries.isEmpty {
            reader.error(node, path, "empty condition")
            return nil
        }
        var parts: [Condition] = []
        var failed = false
        for entry in entries {
            let fieldPath = join(path, entry.key)
            let key = entry.key.hasPrefix("$") ? String(entry.key.dropFirst()) : entry.key
            switch key {
            case "any", "or", "all", "and":
                guard let items = reader.sequence(entry.value, fieldPath) else { failed = true; continue }
                let conditions = items.enumerated().compactMap { condition($1, "\(fieldPath)[\($0)]") }
                if conditions.count != items.count { failed = true; continue }
                parts.append(key == "any" || key == "or" ? .any(conditions) : .all(conditions))
            case "not":
                guard let inner = condition(entry.value, fieldPath) else { failed = true; continue }
                parts.append(.not(inner))
            case "has":
                let items: [Node] = if case .scalar = entry.value { [entry.value] } else { reader.sequence(entry.value, fieldPath) ?? [] }
                var capabilities: [Condition.Capability] = []
                for item in items {
                    guard let text = reader.string(item, fieldPath) else { failed = true; continue }
                    if let capability = Condition.Capability(rawValue: text) {
                        capabilities.append(capability)
                    } else {
                        let names = Condition.Capability.allCases.map(\.rawValue)
                        reader.error(item, fieldPath, "unknown capability '\(text)'",
                            hint: Suggestion.didYouMean(text, among: names) ?? "one of: \(names.joined(separator: ", "))")
                        failed = true
                    }
                }
                parts.append(.has(capabilities))
            default:
                guard let field = RequestField(spelling: entry.key) else {
                    reader.error(entry.keyNode, fieldPath, "unknown field '\(entry.key)'", hint: fieldHint(entry.key))
                    failed = true
                    continue
                }
                guard let matcher = matcher(entry.value, fieldPath) else { failed = true; continue }
                parts.append(.test(field, matcher))
            }
        }
        if failed { return nil }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private func fieldHint(_ key: String) -> String {
        if let dot = key.firstIndex(of: ".") {
            let prefix = String(key[..<dot])
            if let suggestion = Suggestion.didYouMean(prefix, among: ["header", "metadata", "param"]) {
                let fixed = suggestion.replacingOccurrences(of: "'?", with: "\(key[dot...])'?")
                return fixed
            }
        }
        let names = ["model", "stream", "user", "key", "team", "tokens", "messages", "content", "has", "any", "all", "not"]
        return Suggestion.didYouMean(key, among: names)
            ?? "fields: \(names.joined(separator: ", ")), header.NAME, metadata.KEY, key.metadata.KEY, param.PATH"
    }

    /// A scalar (equality, or a glob when it has `*`), a list (`in`), or an operator mapping.
    func matcher(_ node: Node, _ path: String) -> Matcher? {
        switch node {
        case .scalar(let scalar):
            guard let value = operand(node, path) else { return nil }
            if case .string(let text) = value, text.contains("*"), scalar.style == .plain || scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
                return .glob(Glob(text))
            }
            return .eq(value)
        case .sequence:
            return operands(node, path).map { .oneOf($0) }
        default:
            guard let entries = reader.mapping(node, path) else { return nil }
            var matchers: [Matcher] = []
            var failed = false
            for entry in entries {
                let opPath = join(path, entry.key)
                let op = entry.key.hasPrefix("$") ? String(entry.key.dropFirst()) : entry.key
                let matcher: Matcher?
                switch op {
                case "eq": matcher = operand(entry.value, opPath).map { .eq($0) }
                case "ne", "neq": matcher = operand(entry.value, opPath).map { .ne($0) }
                case "in": matcher = operands(entry.value, opPath).map { .oneOf($0) }
                case "not_in", "nin": matcher = operands(entry.value, opPath).map { .noneOf($0) }
                case "gt": matcher = reader.double(entry.value, opPath).map { .gt($0) }
                case "gte": matcher = reader.double(entry.value, opPath).map { .gte($0) }
                case "lt": matcher = reader.double(entry.value, opPath).map { .lt($0) }
                case "lte": matcher = reader.double(entry.value, opPath).map { .lte($0) }
                case "glob": matcher = reader.string(entry.value, opPath).map { .glob(Glob($0)) }
                case "exists": matcher = reader.bool(entry.value, opPath).map { .exists($0) }
                case "regex": matcher = regex(entry.value, opPath).map { .regex($0) }
                default:
                    reader.error(entry.keyNode, opPath, "unknown operator '\(entry.key)'",
                        hint: Suggestion.didYouMean(op, among: Matcher.operators) ?? "operators: \(Matcher.operators.joined(separator: ", "))")
                    matcher = nil
                }
                if let matcher { matchers.append(matcher) } else { failed = true }
            }
            if failed { return nil }
            if matchers.isEmpty {
                reader.error(node, path, "no operator given")
                return nil
            }
            return matchers.count == 1 ? matchers[0] : .all(matchers)
        }
    }

    private func regex(_ node: Node, _ path: String) -> PCRERegex? {
        guard let pattern = reader.string(node, path) else { return nil }
        do {
            return try PCRERegex(pattern)
        } catch {
            if let offset = error.offset {
                reader.error(node, path, "invalid regex: \(error.message) at offset \(offset)",
                    hint: "PCRE2 stopped at byte \(offset) of the pattern")
            } else {
                reader.error(node, path, "invalid regex: \(error.message)")
            }
            return nil
        }
    }

    private func operand(_ node: Node, _ path: String) -> FieldValue? {
        guard case .scalar = node else {
            reader.error(node, path, "expected a single value, found \(reader.describe(node))")
            return nil
        }
        guard let json = reader.json(node, path) else { return nil }
        return FieldValue(json)
    }

    private func operands(_ node: Node, _ path: String) -> [FieldValue]? {
        guard let items = reader.sequence(node, path) else { return nil }
        let values = items.enumerated().compactMap { operand($1, "\(path)[\($0)]") }
        return values.count == items.count ? values : nil
    }
}
