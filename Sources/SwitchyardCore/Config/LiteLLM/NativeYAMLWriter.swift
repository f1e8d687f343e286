/// Builds the text of a native configuration line by line, remembering for each line the
/// LiteLLM node it came from, so problems found in the generated text are reported at the
/// LiteLLM file's line and column.
struct NativeYAMLWriter {
    private(set) var lines: [String] = []
    private(set) var origins: [SourceMark?] = []

    /// One line at `indent` levels (two spaces each), with an optional trailing comment.
    mutating func line(_ indent: Int, _ text: String, from origin: SourceMark? = nil, comment: String? = nil) {
        var line = String(repeating: "  ", count: indent) + text
        if let comment, !comment.isEmpty {
            line += String(repeating: " ", count: max(1, 44 - line.count)) + "# " + comment
        }
        lines.append(line)
        origins.append(origin)
    }

    mutating func comment(_ indent: Int, _ text: String) {
        lines.append(String(repeating: "  ", count: indent) + "# " + text)
        origins.append(nil)
    }

    mutating func blank() {
        lines.append("")
        origins.append(nil)
    }

    var text: String { lines.joined(separator: "\n") + "\n" }

    /// The LiteLLM mark for a generated line (1-based): its own, or the nearest one above it.
    func origin(ofLine line: Int) -> SourceMark? {
        var index = min(line, origins.count) - 1
        while index >= 0 {
            if let mark = origins[index] { return mark }
            index -= 1
        }
        return nil
    }

    /// A YAML scalar for `text`: plain when that reads back as the same string, else JSON-quoted
    /// (a JSON string is a YAML double-quoted scalar).
    static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
        let plain = !text.isEmpty
            && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./@".contains($0) }
            && !reserved.contains(text.lowercased())
            && Double(text) == nil
            && !"-.@".contains(text.first!)
        if plain { return text }
        var bytes: [UInt8] = []
        JSONWriter.writeString(text, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A flow list of scalars: `[a, "b c"]`.
    static func list(_ items: [String]) -> String {
        "[" + items.map(scalar).joined(separator: ", ") + "]"
    }

    /// JSON (a subset of YAML's flow style) for parameter and scrubber values.
    static func json(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }

    /// A duration the native reader accepts: `30s`, `250ms`.
    static func duration(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
