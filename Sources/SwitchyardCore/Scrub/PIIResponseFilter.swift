public import NIOCore
import SwitchyardScrub

/// Scrubs (or restores tokenized values in) a chat answer: the assistant's content, tool-call
/// arguments and legacy `text`, in complete bodies and in SSE streams.
struct PIIResponseFilter: ResponseFilter {
    let policy: String
    let scrubber: Scrubber
    let session: ScrubSession?

    func filter(body: ByteBuffer) throws(GatewayError) -> ByteBuffer {
        guard case .object(var object)? = try? body.withUnsafeReadableBytes({ raw in
            try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self))
        }), case .array(var choices)? = object["choices"] else {
            // Not a chat completion we can read: refuse rather than pass unscrubbed text on.
            throw GatewayError(.scrubFailed, status: 502, message: "The answer could not be read to apply the '\(policy)' policy; it was not passed on.")
        }
        var changed = false
        for i in choices.indices {
            guard case .object(var choice) = choices[i] else { continue }
            var choiceChanged = false
            if case .string(let text)? = choice["text"], let scrubbed = try scrub(text) {
                choice["text"] = .string(scrubbed)
                choiceChanged = true
            }
            if case .object(var message)? = choice["message"] {
                var messageChanged = false
                if case .string(let text)? = message["content"], let scrubbed = try scrub(text) {
                    message["content"] = .string(scrubbed)
                    messageChanged = true
                }
                if try message.rewriteToolCallArguments({ (arguments) throws(GatewayError) in try scrub(arguments) }) {
                    messageChanged = true
                }
                if messageChanged {
                    choice["message"] = .object(message)
                    choiceChanged = true
                }
            }
            if choiceChanged {
                choices[i] = .object(choice)
                changed = true
            }
        }
        guard changed else { return body }
        object["choices"] = .array(choices)
        return ByteBuffer(bytes: JSONWriter.bytes(.object(object)))
    }

    /// Scrubs one text of the answer; nil when nothing changed.
    private func scrub(_ text: String) throws(GatewayError) -> String? {
        let outcome: ScrubOutcome<String>
        do {
            outcome = try scrubber.scrub(text, direction: .response, session: session)
        } catch {
            throw GatewayError(.scrubFailed, status: 502, message: "The answer could not be scrubbed by the '\(policy)' policy (\(error.code)); it was not passed on.")
        }
        switch outcome {
        case .blocked(let verdict):
            throw GatewayError(.contentBlocked, status: 502, message: "The answer contains \(verdict.label), which the '\(policy)' policy blocks.")
        case .scrubbed(let output, _):
            return output == text ? nil : output
        }
    }

    func filter(stream: ByteStream) -> ByteStream {
        ByteStream(SSEScrubSequence(upstream: stream, policy: policy, scrubber: scrubber, session: session))
    }
}

/// An SSE stream with every text delta passed through a streaming scrubber.
struct SSEScrubSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let upstream: ByteStream
    let policy: String
    let scrubber: Scrubber
    let session: ScrubSession?

    struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: ByteStream.AsyncIterator
        var state: SSEScrubState
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                guard let chunk = try await upstream.next() else {
                    finished = true
                    let tail = state.finish()
                    return tail.isEmpty ? nil : ByteBuffer(bytes: tail)
                }
                let out = state.consume(chunk)
                if state.failed { finished = true }
                if !out.isEmpty { return ByteBuffer(bytes: out) }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(upstream: upstream.makeAsyncIterator(), state: SSEScrubState(policy: policy, scrubber: scrubber, session: session))
    }
}
