/// One problem found in a configuration file, printed as `file:line:column: severity: message`,
/// or in an environment variable or flag (`SWITCHYARD_SERVER_PORT: error: …`).
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// The YAML path of the offending node (`models.gpt-4o.provider`).
    public var path: String
    public var message: String
    /// A "did you mean …?" suggestion or another hint.
    public var hint: String?

    public init(
        severity: Severity = .error, file: String, line: Int, column: Int, path: String,
        message: String, hint: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// A problem with no position (line 0: an environment variable or a flag) is printed as
    /// `SOURCE: severity: message`.
    public var description: String {
        var text = line == 0 ? "\(file): \(severity.rawValue): " : "\(file):\(line):\(column): \(severity.rawValue): "
        if !path.isEmpty { text += "\(path): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// A configuration that cannot be used; carries every problem found, not just the first.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(_ diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Suggests the closest known name for a misspelt one.
public enum Suggestion {
    public static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= max(2, name.count / 3), distance < (best?.1 ?? .max) {
                best = (candidate, distance)
            }
        }
        return best.map { "did you mean '\($0.0)'?" }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
