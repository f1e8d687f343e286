import Yams

/// Deadlines written at one level of the file (a target or a provider); nil falls through to
/// the level above.
public struct DeadlineOverrides: Sendable {
    public var connect: Duration?
    public var headers: Duration?
    public var idle: Duration?
    public var total: Duration?

    public init() {}

    /// These settings over `base`.
    public func applied(to base: UpstreamDeadlines) -> UpstreamDeadlines {
        UpstreamDeadlines(
            connect: connect ?? base.connect, headers: headers ?? base.headers, idle: idle ?? base.idle,
            total: total ?? base.total)
    }

    /// The config keys, as written under a provider or a target.
    static let keys = ["timeout", "connect_timeout", "idle_timeout", "total_timeout"]

    /// Reads one of `keys`; returns false for any other key.
    mutating func read(_ key: String, _ node: Node, _ path: String, reader: YAMLReader) -> Bool {
        switch key {
        case "timeout": headers = reader.duration(node, path)
        case "connect_timeout": connect = reader.duration(node, path)
        case "idle_timeout": idle = reader.duration(node, path)
        case "total_timeout": total = reader.duration(node, path)
        default: return false
        }
        return true
    }
}
