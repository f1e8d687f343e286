import NIOCore
import SwitchyardCore
import SwitchyardProviders

/// What the fuzzer feeds: each target takes arbitrary bytes and must never crash, hang or leak —
/// only succeed or throw its own error type.
enum FuzzTarget: String, CaseIterable {
    /// `JSONParser`; whatever parses must write back and parse to the same value.
    case json
    /// `ChatRequest(body:)`, the request validator every chat request goes through.
    case request
    /// `SSEEventParser` fed in arbitrary splits, and the Anthropic → OpenAI stream translator.
    case sse
    /// `ConfigLoader` on the bytes as YAML (native and LiteLLM dialects).
    case config

    func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .json:
            guard let value = try? JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self)) else { return }
            let written = JSONWriter.bytes(value)
            guard let again = try? JSONParser.parse(written), again == value else {
                fatalError("JSON round trip changed the value of \(Array(bytes))")
            }
        case .request:
            _ = try? ChatRequest(body: ByteBuffer(bytes: bytes))
        case .sse:
            var parser = SSEEventParser()
            // Split where the first byte says, so the fuzzer explores chunk boundaries too.
            let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
            _ = parser.feed(ByteBuffer(bytes: bytes[..<split]))
            _ = parser.feed(ByteBuffer(bytes: bytes[split...]))
            _ = parser.finish()
            FuzzStreams.translate(bytes, split: split)
        case .config:
            guard bytes.count <= 8 * 1024, let text = String(validating: bytes, as: UTF8.self) else { return }
            _ = try? ConfigLoader.load(yaml: text, file: "fuzz.yaml", environment: [:])
        }
    }
}
