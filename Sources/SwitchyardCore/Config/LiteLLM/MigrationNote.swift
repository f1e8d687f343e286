/// How one LiteLLM key carried over into the native configuration, for `switchyard import`'s
/// table and for the startup report of unsupported keys.
public struct MigrationNote: Sendable, Equatable {
    public enum Status: String, Sendable, Comparable {
        /// Behaves as in LiteLLM.
        case exact
        /// Carried over with a documented difference (`detail` says how).
        case approximate
        /// Accepted and ignored.
        case unsupported

        public static func < (a: Status, b: Status) -> Bool {
            let order: [Status] = [.exact, .approximate, .unsupported]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// The YAML path with list indices folded (`model_list[].litellm_params.rpm`).
    public var key: String
    public var status: Status
    /// What it became, or why not.
    public var detail: String
    /// Where the key first appears.
    public var line: Int
    public var column: Int
    /// How many times the key appears in the file.
    public var occurrences: Int = 1

    public init(key: String, status: Status, detail: String, line: Int, column: Int) {
        self.key = key
        self.status = status
        self.detail = detail
        self.line = line
        self.column = column
    }

    /// A path with its list indices folded: `model_list[3].litellm_params` → `model_list[].litellm_params`.
    static func fold(_ path: String) -> String {
        var result = ""
        var inIndex = false
        for character in path {
            if character == "[" {
                inIndex = true
                result.append("[")
            } else if character == "]" {
                inIndex = false
                result.append("]")
            } else if !inIndex {
                result.append(character)
            }
        }
        return result
    }
}

extension Array where Element == MigrationNote {
    /// The notes as a fixed-width table: key, status, detail.
    public func table() -> String {
        let width = Swift.min(60, reduce(3) { Swift.max($0, $1.key.count) })
        var lines = ["\("LiteLLM key".padding(width)) \("status".padding(11)) what it became"]
        lines.append(String(repeating: "-", count: width) + " " + String(repeating: "-", count: 11) + " " + String(repeating: "-", count: 40))
        for note in self {
            let count = note.occurrences > 1 ? " (×\(note.occurrences))" : ""
            lines.append("\(note.key.padding(width)) \(note.status.rawValue.padding(11)) \(note.detail)\(count)")
        }
        let counts = [MigrationNote.Status.exact, .approximate, .unsupported].map { status in "\(count { $0.status == status }) \(status.rawValue)" }
        lines.append("\(count) keys: \(counts.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

extension GatewayConfig {
    /// One line for the startup log of a LiteLLM config: how many keys carried over how.
    public var litellmSummary: String {
        let exact = migration.count { $0.status == .exact }
        let approximate = migration.count { $0.status == .approximate }
        let unsupported = migration.filter { $0.status == .unsupported }
        var text = "\(file): LiteLLM config: \(exact) keys exact, \(approximate) approximate, \(unsupported.count) unsupported"
        if !unsupported.isEmpty { text += " (ignored: \(unsupported.map(\.key).joined(separator: ", ")))" }
        return text + "; `switchyard import litellm \(file)` shows each key"
    }
}
