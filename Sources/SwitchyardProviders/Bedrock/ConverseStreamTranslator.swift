import Foundation
import NIOCore
import SwitchyardCore

/// Bedrock ConverseStream (an AWS event stream) → OpenAI `chat.completion.chunk` events, decoded
/// and translated frame by frame as bytes arrive:
///
/// | Converse event | OpenAI chunk |
/// |---|---|
/// | `messageStart` | `delta: {role: assistant, content: ""}` |
/// | `contentBlockStart` with `toolUse` | `tool_calls[i]` with id, name, `arguments: ""` |
/// | `contentBlockDelta` `text` / `toolUse.input` / `reasoningContent.text` | `content` / `tool_calls[i].function.arguments` / `reasoning_content` |
/// | `messageStop` | `finish_reason` |
/// | `metadata` | the usage chunk (with `stream_options.include_usage`), then `[DONE]` |
/// | an exception frame | before any output: a failure (retry and fallback apply); after: one OpenAI error event, no `[DONE]` |
///
/// A corrupt frame (bad checksum, impossible length) or a stream that ends without
/// `messageStop` is a 502: the client never sees a clean end.
struct ConverseStreamTranslator: StreamTranslator {
    let model: String
    let includeUsage: Bool
    let provider: String
    let secrets: [String]

    private var decoder = EventStreamDecoder()
    private let writer: ChatChunkWriter
    /// Converse block index → OpenAI tool-call index.
    private var toolIndex: [Int: Int] = [:]
    private var usage: JSONObject?
    private var stopped = false
    private var ended = false
    private var sentAnything = false

    init(model: String, includeUsage: Bool, provider: String, requestID: String, secrets: [String]) {
        self.model = model
        self.includeUsage = includeUsage
        self.provider = provider
        self.secrets = secrets
        self.writer = ChatChunkWriter(id: "chatcmpl-\(requestID)", model: model)
    }

    mutating func consume(_ chunk: ByteBuffer) throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        let messages: [EventStreamDecoder.Message]
        do {
            messages = try decoder.feed(chunk)
        } catch {
            throw Self.corrupt(error, provider: provider)
        }
        for message in messages where !ended { try translate(message, into: &out) }
        if !out.isEmpty { sentAnything = true }
        return out
    }

    mutating func finish() throws(GatewayError) -> [UInt8] {
        do { try decoder.finish() } catch { throw Self.corrupt(error, provider: provider) }
        if ended { return [] }
        guard stopped else { throw GatewayError(.upstreamError, status: 502, message: "upstream provider '\(provider)' ended the stream early") }
        return tail()
    }

    static func corrupt(_ error: EventStreamDecoder.DecodeError, provider: String) -> GatewayError {
        GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(provider)' sent a corrupt event stream: \(error.reason)")
    }

    private mutating func translate(_ message: EventStreamDecoder.Message, into out: inout [UInt8]) throws(GatewayError) {
        let payload = (try? JSONParser.parse(message.payload))?.objectValue ?? JSONObject()
        if message.headers[":message-type"] != "event" {
            let type = message.headers[":exception-type"] ?? message.headers[":error-code"]
            let text = payload["message"]?.stringValue ?? payload["Message"]?.stringValue ?? message.headers[":error-message"] ?? "upstream stream error"
            let error = BedrockErrors.translate(type: type, status: nil, message: text, provider: provider, secrets: secrets)
            if !sentAnything && out.isEmpty { throw error }
            SSE.error(error, into: &out)
            ended = true
            return
        }
        switch message.headers[":event-type"] {
        case "messageStart":
            writer.chunk(["role": "assistant", "content": ""], into: &out)
        case "contentBlockStart":
            guard let use = payload["start"]?.objectValue?["toolUse"]?.objectValue, let index = payload["contentBlockIndex"]?.intValue else { return }
            let position = toolIndex.count
            toolIndex[index] = position
            writer.toolCallStart(index: position, id: use["toolUseId"] ?? "", name: use["name"] ?? "", into: &out)
        case "contentBlockDelta":
            guard let delta = payload["delta"]?.objectValue else { return }
            if let text = delta["text"]?.stringValue, !text.isEmpty {
                writer.chunk(["content": .string(text)], into: &out)
            } else if let input = delta["toolUse"]?.objectValue?["input"]?.stringValue, !input.isEmpty,
                let position = payload["contentBlockIndex"]?.intValue.flatMap({ toolIndex[$0] })
            {
                writer.toolCallArguments(index: position, input, into: &out)
            } else if let text = delta["reasoningContent"]?.objectValue?["text"]?.stringValue, !text.isEmpty {
                writer.chunk(["reasoning_content": .string(text)], into: &out)
            }
        case "messageStop":
            writer.chunk([:], finish: ConverseResponseTranslation.finishReason(payload["stopReason"]?.stringValue), into: &out)
            stopped = true
        case "metadata":
            if let usage = payload["usage"]?.objectValue { self.usage = usage }
            if stopped {
                out += tail()
                ended = true
            }
        default:
            break
        }
    }

    /// The usage chunk (when asked for) and `[DONE]`.
    private func tail() -> [UInt8] {
        var out: [UInt8] = []
        if includeUsage, let usage {
            writer.usage(ConverseResponseTranslation.openAIUsage(usage), into: &out)
        }
        return out + SSE.done
    }
}
