import NIOCore
import Synchronization
import SwitchyardCore
import SwitchyardProviders
import Tracing

/// Reads a streamed answer's id, model, finish reasons and usage as its chunks pass, and ends
/// the upstream span when the stream really ends: after its last chunk, when it fails, or when
/// the consumer drops it (the client went away).
enum GenAIStreamObserver {
    static func observe(_ stream: ByteStream, span: any Span, content: Bool) -> ByteStream {
        ByteStream(ObservedSequence(base: stream, state: ObserverState(span: span, content: content)))
    }
}

/// `@unchecked Sendable`: `parser`, `response` and `text` are touched only by the task consuming
/// the stream (one at a time, like any async iterator); ending is guarded by an atomic flag.
private final class ObserverState: @unchecked Sendable {
    let span: any Span
    let content: Bool
    var parser = SSEEventParser()
    var response = GenAISpan.Response()
    var sawDone = false
    var sawError = false
    /// With content capture: the answer's text as it streamed.
    var text = ""
    private let ended = Atomic<Bool>(false)

    init(span: any Span, content: Bool) {
        self.span = span
        self.content = content
    }

    func scan(_ events: [SSEEventParser.Event]) {
        for event in events {
            if event.data == UsageMeter.done {
                sawDone = true
                continue
            }
            if event.data.starts(with: UsageMeter.errorPrefix) { sawError = true }
            // Most chunks carry only a delta: parse the first, those that end a choice or carry
            // usage, and (with content capture) every one.
            let wanted = content || response.id == nil || UsageMeter.contains(event.data, "\"usage\"")
                || (UsageMeter.contains(event.data, "\"finish_reason\"") && !UsageMeter.contains(event.data, "\"finish_reason\":null"))
            guard wanted, let object = (try? JSONParser.parse(event.data))?.objectValue else { continue }
            response.read(object)
            if content {
                for choice in object["choices"]?.arrayValue ?? [] {
                    if let delta = choice.objectValue?["delta"]?.objectValue?["content"]?.stringValue { text += delta }
                }
            }
        }
    }

    /// - Parameter errorType: why the stream ended early; nil when it completed.
    func end(errorType: String?) {
        guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
        response.record(on: span)
        if content, !text.isEmpty {
            let message: JSONValue = ["role": "assistant", "content": .string(text)]
            span.attributes["gen_ai.output.messages"] = JSONWriter.string([message])
        }
        if let errorType { RequestTrace.fail(span, errorType: errorType) }
        span.end()
    }

    deinit { end(errorType: "client_disconnected") }
}

private struct ObservedSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let state: ObserverState

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.AsyncIterator
        let state: ObserverState

        mutating func next() async throws -> ByteBuffer? {
            let chunk: ByteBuffer?
            do {
                chunk = try await base.next()
            } catch {
                state.end(errorType: (error as? GatewayError)?.code.description ?? "upstream_error")
                throw error
            }
            guard let chunk else {
                state.scan(state.parser.finish())
                state.end(errorType: state.sawError ? "upstream_stream_error" : state.sawDone ? nil : UsageMeter.incomplete.code.description)
                return nil
            }
            state.scan(state.parser.feed(chunk))
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), state: state)
    }
}
