import Foundation
import NIOCore
import SwitchyardCore

/// Bedrock InvokeModelWithResponseStream for Anthropic models → OpenAI chunks. Each `chunk`
/// event of the AWS event stream carries one Anthropic streaming event, base64-encoded in
/// `bytes`; it is handed, as the SSE event it would have been, to `AnthropicStreamTranslator`.
/// Exception frames and corrupt frames fail as in `ConverseStreamTranslator`.
struct InvokeStreamTranslator: StreamTranslator {
    let provider: String
    let secrets: [String]
    private var decoder = EventStreamDecoder()
    private var anthropic: AnthropicStreamTranslator
    private var sentAnything = false
    private var failed = false

    init(model: String, includeUsage: Bool, provider: String, secrets: [String]) {
        self.provider = provider
        self.secrets = secrets
        self.anthropic = AnthropicStreamTranslator(model: model, includeUsage: includeUsage, provider: provider)
    }

    mutating func consume(_ chunk: ByteBuffer) throws(GatewayError) -> [UInt8] {
        let messages: [EventStreamDecoder.Message]
        do { messages = try decoder.feed(chunk) } catch { throw ConverseStreamTranslator.corrupt(error, provider: provider) }
        var out: [UInt8] = []
        for message in messages where !failed {
            let payload = (try? JSONParser.parse(message.payload))?.objectValue ?? JSONObject()
            if message.headers[":message-type"] != "event" {
                let text = payload["message"]?.stringValue ?? message.headers[":error-message"] ?? "upstream stream error"
                let error = BedrockErrors.translate(
                    type: message.headers[":exception-type"] ?? message.headers[":error-code"], status: nil, message: text,
                    provider: provider, secrets: secrets)
                if !sentAnything && out.isEmpty { throw error }
                SSE.error(error, into: &out)
                failed = true
                continue
            }
            guard message.headers[":event-type"] == "chunk", let encoded = payload["bytes"]?.stringValue,
                let event = Data(base64Encoded: encoded)
            else { continue }
            let name = (try? JSONParser.parse(Array(event)))?.objectValue?["type"]?.stringValue ?? "message"
            var sse = ByteBuffer(string: "event: \(name)\ndata: ")
            sse.writeBytes(event)
            sse.writeString("\n\n")
            out += try anthropic.consume(sse)
        }
        if !out.isEmpty { sentAnything = true }
        return out
    }

    mutating func finish() throws(GatewayError) -> [UInt8] {
        do { try decoder.finish() } catch { throw ConverseStreamTranslator.corrupt(error, provider: provider) }
        return failed ? [] : try anthropic.finish()
    }
}
