import NIOCore
import Synchronization
import SwitchyardCore
import SwitchyardProviders

/// Reads the `usage` of an OpenAI-format stream as it passes, and hands it over once the stream
/// ends, fails or is abandoned by the client. To charge streamed requests the gateway asks the
/// upstream for `stream_options.include_usage`; when the client did not ask for it, the extra
/// usage-only chunk is taken out again (the stream is then re-framed event by event).
enum UsageMeter {
    /// - Parameters:
    ///   - dropUsageChunk: remove the usage-only chunk (`"choices": []` with `usage`).
    ///   - onEnd: called exactly once with the usage seen (nil when none) and whether the
    ///     stream completed.
    static func meter(
        _ stream: ByteStream, dropUsageChunk: Bool, onEnd: @escaping @Sendable (TokenUsage?, _ completed: Bool) -> Void
    ) -> ByteStream {
        let state = MeterState(onEnd: onEnd)
        return ByteStream(MeteredSequence(base: stream, drop: dropUsageChunk, state: state))
    }

    static let done = Array("[DONE]".utf8)
    static let errorPrefix = Array(#"{"error""#.utf8)

    static let incomplete = GatewayError(
        .upstreamInvalidResponse, status: 502, message: "The upstream stream ended before its last event.")

    /// Whether an SSE event's data is a chat chunk carrying usage (and whether it carries only that).
    static func usage(in event: SSEEventParser.Event) -> (usage: TokenUsage, usageOnly: Bool)? {
        guard contains(event.data, "\"usage\""), let value = try? JSONParser.parse(event.data),
            let object = value.objectValue, let usage = object["usage"]?.objectValue.flatMap(TokenUsage.init)
        else { return nil }
        let usageOnly = object["choices"]?.arrayValue?.isEmpty ?? true
        return (usage, usageOnly)
    }

    /// Whether `haystack` holds `needle`. The scan looks for the needle's second byte (`u` of
    /// `"usage"`; its first, a quote, is in every JSON key) and compares from there.
    static func contains(_ haystack: [UInt8], _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { pattern in
            guard pattern.count >= 2 else { return pattern.isEmpty || haystack.contains(pattern[0]) }
            guard haystack.count >= pattern.count else { return false }
            var from = 1
            while from <= haystack.count - pattern.count + 1, let anchor = haystack[from...].firstIndex(of: pattern[1]) {
                let start = anchor - 1
                guard start + pattern.count <= haystack.count else { return false }
                var matched = 0
                while matched < pattern.count, haystack[start + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return true }
                from = anchor + 1
            }
            return false
        }
    }
}

/// Reports once: at the end, on failure, or when the consumer drops the stream.
/// `@unchecked Sendable`: `parser` and `usage` are touched only by the task consuming the stream
/// (one at a time, like any async iterator); the report is guarded by an atomic flag.
private final class MeterState: @unchecked Sendable {
    var parser = SSEEventParser()
    var usage: TokenUsage?
    /// `data: [DONE]` went by: the stream ended as OpenAI's streams end.
    var sawDone = false
    /// An error event went by (a translator reported the upstream's mid-stream error itself).
    var sawError = false
    private let reported = Atomic<Bool>(false)
    private let onEnd: @Sendable (TokenUsage?, Bool) -> Void

    init(onEnd: @escaping @Sendable (TokenUsage?, Bool) -> Void) {
        self.onEnd = onEnd
    }

    func report(completed: Bool) {
        guard !reported.exchange(true, ordering: .acquiringAndReleasing) else { return }
        onEnd(usage, completed)
    }

    deinit { report(completed: false) }
}

private struct MeteredSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let drop: Bool
    let state: MeterState

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.AsyncIterator
        let drop: Bool
        let state: MeterState
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                let chunk: ByteBuffer?
                do {
                    chunk = try await base.next()
                } catch {
                    finished = true
                    state.report(completed: false)
                    throw error
                }
                guard let chunk else {
                    finished = true
                    let tail = drop ? reframe(state.parser.finish()) : nil
                    if !drop { scan(state.parser.finish()) }
                    state.report(completed: state.sawDone)
                    // A stream that stops without `[DONE]` (garbage, a connection closed early
                    // without an HTTP error) ends with an error event, never a clean-looking end.
                    guard state.sawDone || state.sawError else { throw UsageMeter.incomplete }
                    return tail
                }
                let events = state.parser.feed(chunk)
                guard drop else {
                    scan(events)
                    return chunk
                }
                if let out = reframe(events) { return out }
            }
            return nil
        }

        private func scan(_ events: [SSEEventParser.Event]) {
            for event in events {
                if let found = UsageMeter.usage(in: event) { state.usage = found.usage }
                note(event)
            }
        }

        private func note(_ event: SSEEventParser.Event) {
            if event.data == UsageMeter.done {
                state.sawDone = true
            } else if event.data.starts(with: UsageMeter.errorPrefix) {
                state.sawError = true
            }
        }

        /// The events again as `data:` lines, without the usage-only chunk; nil when nothing is left.
        private func reframe(_ events: [SSEEventParser.Event]) -> ByteBuffer? {
            var out = ByteBuffer()
            for event in events {
                note(event)
                if let found = UsageMeter.usage(in: event) {
                    state.usage = found.usage
                    if found.usageOnly { continue }
                }
                if let name = event.name { out.writeString("event: \(name)\n") }
                out.writeString("data: ")
                out.writeBytes(event.data)
                out.writeString("\n\n")
            }
            return out.readableBytes == 0 ? nil : out
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), drop: drop, state: state)
    }
}
