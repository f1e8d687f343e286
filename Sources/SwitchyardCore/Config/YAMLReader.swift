import Foundation
import Yams

/// Reads a Yams node tree with source marks, collecting every problem instead of stopping at
/// the first. Values that reference the environment (`os.environ/VAR`, `${VAR}`) are resolved
/// as they are read.
final class YAMLReader {
    let file: String
    var environment: [String: String]
    /// `--strict`: unsupported LiteLLM keys are errors, not warnings.
    var strict = false
    /// Reading an environment variable or a flag (`file` is its name): problems have no line.
    var positionless = false
    private(set) var diagnostics: [ConfigDiagnostic] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    var errorCount: Int { diagnostics.count { $0.severity == .error } }

    /// Adds diagnostics found after reading (by the pipeline compiler).
    func append(_ more: [ConfigDiagnostic]) { diagnostics += more }

    func error(_ node: Node?, _ path: String, _ message: String, hint: String? = nil) {
        report(.error, node, path, message, hint: hint)
    }

    func warning(_ node: Node?, _ path: String, _ message: String, hint: String? = nil) {
        report(.warning, node, path, message, hint: hint)
    }

    private func report(_ severity: ConfigDiagnostic.Severity, _ node: Node?, _ path: String, _ message: String, hint: String?) {
        let mark = node?.mark
        diagnostics.append(
            ConfigDiagnostic(
                severity: severity, file: file, line: positionless ? 0 : mark?.line ?? 1, column: positionless ? 0 : mark?.column ?? 1,
                path: path, message: message, hint: hint))
    }

    /// Where `node` is, for diagnostics reported after reading (by the pipeline compiler).
    func mark(_ node: Node, _ path: String) -> SourceMark {
        SourceMark(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, path: path)
    }

    /// A mapping's entries, in order; reports and returns nil for anything else.
    func mapping(_ node: Node, _ path: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping, found \(describe(node))")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                error(key, path, "mapping keys must be plain strings")
                continue
            }
            entries.append((name, key, value))
        }
        return entries
    }

    /// Reports every key not in `allowed`, with a did-you-mean hint.
    func checkKeys(
        _ entries: [(key: String, keyNode: Node, value: Node)], allowed: [String], _ path: String,
        severity: ConfigDiagnostic.Severity = .error, what: String = "key"
    ) {
        for entry in entries where !allowed.contains(entry.key) {
            let hint = Suggestion.didYouMean(entry.key, among: allowed) ?? "expected one of: \(allowed.joined(separator: ", "))"
            report(severity, entry.keyNode, join(path, entry.key), "unknown \(what) '\(entry.key)'", hint: hint)
        }
    }

    func sequence(_ node: Node, _ path: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(node, path, "expected a list, found \(describe(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A scalar as text, with environment references resolved. A reference to an unset variable
    /// yields nil and records its name in `missingVariable`.
    func string(_ node: Node, _ path: String, missingVariable: inout String?) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a string, found \(describe(node))")
            return nil
        }
        return resolveEnvironment(scalar.string, missingVariable: &missingVariable)
    }

    /// A scalar as text; an unset environment variable is an error.
    func string(_ node: Node, _ path: String) -> String? {
        var missing: String?
        let value = string(node, path, missingVariable: &missing)
        if let missing {
            error(node, path, "environment variable '\(missing)' is not set")
            return nil
        }
        return value
    }

    func int(_ node: Node, _ path: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let text = string(node, path) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            error(node, path, "expected an integer, found '\(text)'")
            return nil
        }
        if let range, !range.contains(value) {
            error(node, path, "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    func double(_ node: Node, _ path: String) -> Double? {
        guard let text = string(node, path) else { return nil }
        guard let value = Double(text) else {
            error(node, path, "expected a number, found '\(text)'")
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        guard let text = string(node, path) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, path, "expected true or false, found '\(text)'")
            return nil
        }
    }

    /// One of an enumeration's raw values.
    func oneOf<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String) -> T? where T.RawValue == String {
        guard let text = string(node, path) else { return nil }
        if let value = T(rawValue: text) { return value }
        error(node, path, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
        return nil
    }

    /// A duration: a bare number of seconds, or a number with `ms`, `s`, `m` or `h`.
    func duration(_ node: Node, _ path: String) -> Duration? {
        guard let text = string(node, path) else { return nil }
        if let duration = DurationText.parse(text) { return duration }
        error(node, path, "expected a duration such as 30s, 500ms or 2m, found '\(text)'")
        return nil
    }


    /// A byte size: a bare number of bytes, or a number with KB, MB, KiB, MiB, GB or GiB.
    func byteSize(_ node: Node, _ path: String) -> Int? {
        guard let text = string(node, path) else { return nil }
        let units: [(String, Int)] = [
            ("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024 * 1024 * 1024),
            ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
        ]
        let trimmed = text.replacingOccurrences(of: " ", with: "")
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value > 0 {
                // Found by the fuzzer: `9e30MB` trapped converting to Int.
                guard let bytes = Int(exactly: (value * Double(scale)).rounded(.down)), bytes > 0 else {
                    error(node, path, "'\(text)' is not a size this gateway can use")
                    return nil
                }
                return bytes
            }
        }
        if let value = Int(trimmed), value > 0 { return value }
        error(node, path, "expected a size such as 10MiB or 1048576, found '\(text)'")
        return nil
    }

    /// Converts a YAML value to JSON (for request parameters such as `temperature`).
    func json(_ node: Node, _ path: String) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            var missing: String?
            let text = resolveEnvironment(scalar.string, missingVariable: &missing) ?? ""
            if scalar.style == .plain {
                if text == "null" || text == "~" || text.isEmpty { return .null }
                if text == "true" { return .bool(true) }
                if text == "false" { return .bool(false) }
                if (try? JSONParser.parse(text))?.doubleValue != nil { return .number(text) }
            }
            return .string(text)
        case .sequence(let sequence):
            var values: [JSONValue] = []
            for (i, element) in sequence.enumerated() {
                guard let value = json(element, "\(path)[\(i)]") else { return nil }
                values.append(value)
            }
            return .array(values)
        case .mapping:
            guard let entries = mapping(node, path) else { return nil }
            var object = JSONObject()
            for entry in entries {
                guard let value = json(entry.value, join(path, entry.key)) else { return nil }
                object[entry.key] = value
            }
            return .object(object)
        case .alias:
            error(node, path, "YAML aliases are not supported here")
            return nil
        }
    }

    /// Resolves `os.environ/VAR` (the whole value) and `${VAR}` / `${VAR:-default}` (anywhere).
    func resolveEnvironment(_ text: String, missingVariable: inout String?) -> String? {
        if text.hasPrefix("os.environ/") {
            let name = String(text.dropFirst("os.environ/".count))
            guard let value = environment[name] else {
                missingVariable = name
                return nil
            }
            return value
        }
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                result += rest[open.lowerBound...]
                rest = ""
                break
            }
            let reference = rest[open.upperBound..<close]
            let (name, fallback): (Substring, Substring?) =
                if let sep = reference.range(of: ":-") {
                    (reference[..<sep.lowerBound], reference[sep.upperBound...])
                } else {
                    (reference, nil)
                }
            if let value = environment[String(name)], !(fallback != nil && value.isEmpty) {
                result += value
            } else if let fallback {
                result += fallback
            } else {
                missingVariable = String(name)
                return nil
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

func join(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : "\(path).\(key)"
}
