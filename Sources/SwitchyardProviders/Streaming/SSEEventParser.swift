import NIOCore

/// Cuts a server-sent-events byte stream into events as bytes arrive: an event may be split
/// across chunks, and one chunk may hold several events. Only `event:` and `data:` fields are
/// kept (comments and `id:`/`retry:` are dropped).
public struct SSEEventParser: Sendable {
    public struct Event: Sendable, Equatable {
        /// The `event:` field, when there was one.
        public var name: String?
        /// The `data:` lines, joined with `\n`.
        public var data: [UInt8]
    }

    public init() {}

    private var pending: [UInt8] = []
    /// Where the boundary search resumes, so a long event arriving in pieces is scanned once.
    private var scanned = 0

    /// Takes one chunk; returns the events it completed.
    public mutating func feed(_ chunk: ByteBuffer) -> [Event] {
        pending.append(contentsOf: chunk.readableBytesView)
        var events: [Event] = []
        var start = 0
        var i = max(0, scanned - 2)
        while i < pending.count, let newline = pending[i...].firstIndex(of: 0x0A) {
            // A blank line ends the event: "\n\n" or "\n\r\n".
            var next = newline + 1
            if next < pending.count, pending[next] == 0x0D { next += 1 }
            if next < pending.count, pending[next] == 0x0A {
                if let event = Self.parse(pending[start..<newline]) { events.append(event) }
                start = next + 1
                i = start
            } else {
                i = newline + 1
            }
        }
        if start > 0 { pending.removeSubrange(..<start) }
        scanned = pending.count
        return events
    }

    /// The stream ended: an unterminated last event still counts.
    public mutating func finish() -> [Event] {
        defer { pending = []; scanned = 0 }
        return Self.parse(pending[...]).map { [$0] } ?? []
    }

    private static func parse(_ bytes: ArraySlice<UInt8>) -> Event? {
        var name: String?
        var data: [UInt8] = []
        var hasData = false
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.endIndex
            defer { lineStart = lineEnd + 1 }
            var line = bytes[lineStart..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex else { continue }
            var value = line[line.index(after: colon)...]
            if value.first == 0x20 { value = value.dropFirst() }
            let field = line[..<colon]
            if field.elementsEqual(Self.dataField) {
                if hasData { data.append(0x0A) }
                data.append(contentsOf: value)
                hasData = true
            } else if field.elementsEqual(Self.eventField) {
                name = String(decoding: value, as: UTF8.self)
            }
        }
        guard hasData || name != nil else { return nil }
        return Event(name: name, data: data)
    }

    private static let dataField: [UInt8] = Array("data".utf8)
    private static let eventField: [UInt8] = Array("event".utf8)
}
