import NIOCore
import SwitchyardCore

/// Turns one provider's stream format into another, event by event: a small state machine fed
/// each upstream chunk as it arrives. Nothing is held back beyond an incomplete event.
package protocol StreamTranslator: Sendable {
    /// Translates one upstream chunk; returns the bytes to send now (often empty).
    mutating func consume(_ chunk: ByteBuffer) throws(GatewayError) -> [UInt8]
    /// The upstream ended; returns what is left to send.
    mutating func finish() throws(GatewayError) -> [UInt8]
}

extension ByteStream {
    /// `upstream` translated by `translator` as it arrives; chunks that translate to nothing are
    /// skipped, so the client's next chunk is the next one that carries something.
    init(translating upstream: ByteStream, with translator: some StreamTranslator) {
        self.init(TranslatedSequence(upstream: upstream, translator: translator))
    }
}

private struct TranslatedSequence<Translator: StreamTranslator>: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let upstream: ByteStream
    let translator: Translator

    struct AsyncIterator: AsyncIteratorProtocol {
        var upstream: ByteStream.AsyncIterator
        var translator: Translator
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            while !finished {
                guard let chunk = try await upstream.next() else {
                    finished = true
                    let tail = try translator.finish()
                    return tail.isEmpty ? nil : ByteBuffer(bytes: tail)
                }
                let out = try translator.consume(chunk)
                if !out.isEmpty { return ByteBuffer(bytes: out) }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(upstream: upstream.makeAsyncIterator(), translator: translator)
    }
}

/// Encodes server-sent events.
enum SSE {
    /// `data: <json>\n\n`
    static func data(_ value: JSONValue, into out: inout [UInt8]) {
        out.append(contentsOf: "data: ".utf8)
        JSONWriter.write(value, into: &out)
        out.append(contentsOf: "\n\n".utf8)
    }

    /// `event: <name>\ndata: <json>\n\n` (Anthropic's framing).
    static func event(_ name: String, _ value: JSONValue, into out: inout [UInt8]) {
        out.append(contentsOf: "event: ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(0x0A)
        data(value, into: &out)
    }

    /// `data: <error body>\n\n`: an error after the stream started (no `[DONE]` follows).
    static func error(_ error: GatewayError, into out: inout [UInt8]) {
        out.append(contentsOf: "data: ".utf8)
        out.append(contentsOf: error.body)
        out.append(contentsOf: "\n\n".utf8)
    }

    static let done = Array("data: [DONE]\n\n".utf8)
}
