import Synchronization
public import SwitchyardCore

/// What the rest of the request needs to know about a Responses stream while it runs: the next
/// `sequence_number` (an event written after a failure continues the count) and the final
/// Response object once the stream produced it (to store it before the client sees the end).
public final class ResponseStreamProgress: Sendable {
    private let state = Mutex<(next: Int, final: JSONValue?)>((0, nil))

    public init() {}

    /// The `sequence_number` of the next event.
    public var nextSequence: Int { state.withLock { $0.next } }

    func advance(to next: Int) {
        state.withLock { $0.next = next }
    }

    func finish(_ response: JSONValue) {
        state.withLock { $0.final = response }
    }

    /// The final Response object, once (nil before the stream ended, and after it was taken).
    public func takeFinal() -> JSONValue? {
        state.withLock { state in
            defer { state.final = nil }
            return state.final
        }
    }
}
