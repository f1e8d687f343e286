import NIOCore
import SwitchyardCore

/// A `StreamTranslator` for an SSE upstream that ends with an event of its own (`[DONE]`,
/// `message_stop`): events are cut by `parser` and translated one at a time until `ended`; an
/// upstream that stops before that is an error, never a clean-looking end.
package protocol SSEStreamTranslator: StreamTranslator {
    var parser: SSEEventParser { get set }
    /// Set by `translate` once the stream's last event was translated.
    var ended: Bool { get }
    mutating func translate(_ event: SSEEventParser.Event, into out: inout [UInt8])
}

extension SSEStreamTranslator {
    package mutating func consume(_ chunk: ByteBuffer) throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.feed(chunk) where !ended { translate(event, into: &out) }
        return out
    }

    package mutating func finish() throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.finish() where !ended { translate(event, into: &out) }
        guard ended else { throw GatewayError(.upstreamError, status: 502, message: "The upstream stream ended early.") }
        return out
    }
}
