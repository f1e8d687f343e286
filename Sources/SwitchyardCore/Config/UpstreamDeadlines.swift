/// How long one upstream call may take, phase by phase. A target's deadlines are its own, else
/// its provider's, else the `server:` defaults.
///
/// - `connect`: to open the TCP (and TLS) connection.
/// - `headers` (`timeout`): from sending the request to the response headers — for a
///   non-streamed answer that is the whole generation.
/// - `idle` (`idle_timeout`): longest silence between two body bytes or stream chunks once the
///   headers came.
/// - `total` (`total_timeout`): the whole call, headers and body, checked as each chunk arrives
///   (a silent upstream is ended by `idle` first).
public struct UpstreamDeadlines: Sendable, Hashable {
    public var connect: Duration
    public var headers: Duration
    public var idle: Duration
    public var total: Duration

    /// The defaults when nothing is configured: 10 s to connect, 600 s to the headers, 300 s of
    /// silence mid-body, 3600 s in all.
    public static let defaults = UpstreamDeadlines(
        connect: .seconds(10), headers: .seconds(600), idle: .seconds(300), total: .seconds(3600))

    public init(connect: Duration, headers: Duration, idle: Duration, total: Duration) {
        self.connect = connect
        self.headers = headers
        self.idle = idle
        self.total = total
    }
}
