import NIOCore
import SwitchyardProviders

/// Upstream stream translation on arbitrary bytes: a translator may reject a stream, never crash.
enum FuzzStreams {
    static func translate(_ bytes: UnsafeRawBufferPointer, split: Int) {
        var translator = AnthropicStreamTranslator(model: "fuzz", includeUsage: true, provider: "fuzz")
        _ = try? translator.consume(ByteBuffer(bytes: bytes[..<split]))
        _ = try? translator.consume(ByteBuffer(bytes: bytes[split...]))
        _ = try? translator.finish()
    }
}
