import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Gemini `streamGenerateContent?alt=sse` → OpenAI `chat.completion.chunk` events. Each SSE event
/// is a whole `GenerateContentResponse`: its text parts become `content` deltas, each
/// `functionCall` part one complete `tool_calls[index]` delta, its `finishReason` the
/// `finish_reason`; `usageMetadata` (cumulative) is sent as the usage chunk at the end, when
/// `stream_options.include_usage` asks for it. Gemini sends no `[DONE]`; the end of the body is.
struct GeminiStreamTranslator: StreamTranslator {
    let model: String
    let includeUsage: Bool
    let provider: String

    private var parser = SSEEventParser()
    private var started = false
    private var calls = 0
    private var finished = false
    private var usage: JSONObject?
    private let writer: ChatChunkWriter

    init(model: String, includeUsage: Bool, provider: String, requestID: String) {
        self.model = model
        self.includeUsage = includeUsage
        self.provider = provider
        self.writer = ChatChunkWriter(id: "chatcmpl-\(requestID)", model: model)
    }

    mutating func consume(_ chunk: ByteBuffer) throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.feed(chunk) { try translate(event, into: &out) }
        return out
    }

    mutating func finish() throws(GatewayError) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.finish() { try translate(event, into: &out) }
        guard finished else { throw GatewayError(.upstreamError, status: 502, message: "upstream provider '\(provider)' ended the stream early") }
        if includeUsage, let usage {
            writer.usage(GeminiResponseTranslation.openAIUsage(usage), into: &out)
        }
        out += SSE.done
        return out
    }

    private mutating func translate(_ event: SSEEventParser.Event, into out: inout [UInt8]) throws(GatewayError) {
        guard case .object(let response)? = try? JSONParser.parse(event.data) else { return }
        if let error = response["error"]?.objectValue {
            let translated = GeminiErrors.gatewayError(provider: provider)(error["code"]?.intValue ?? 502, [:], event.data)
                ?? GatewayError(.upstreamError, status: 502, message: "upstream stream error")
            if !started { throw translated }
            SSE.error(translated, into: &out)
            finished = true
            return
        }
        if !started, let blocked = GeminiResponseTranslation.blockedPrompt(response, provider: provider) { throw blocked }
        if let usage = response["usageMetadata"]?.objectValue { self.usage = usage }
        if !started {
            started = true
            writer.chunk(["role": "assistant", "content": ""], into: &out)
        }
        guard let candidate = response["candidates"]?.arrayValue?.first?.objectValue else { return }
        for part in candidate["content"]?.objectValue?["parts"]?.arrayValue ?? [] {
            guard let fields = part.objectValue else { continue }
            if let text = fields["text"]?.stringValue, !text.isEmpty, fields["thought"]?.boolValue != true {
                writer.chunk(["content": .string(text)], into: &out)
            }
            if let call = fields["functionCall"]?.objectValue {
                guard case .object(var delta) = GeminiResponseTranslation.toolCall(call, index: calls) else { continue }
                delta.fields.insert((key: "index", value: .number(calls)), at: 0)
                calls += 1
                writer.chunk(["tool_calls": [.object(delta)]], into: &out)
            }
        }
        if let reason = candidate["finishReason"], reason != .null {
            writer.chunk([:], finish: GeminiResponseTranslation.finishReason(reason, hasCalls: calls > 0), into: &out)
            finished = true
        }
    }
}
