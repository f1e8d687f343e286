import Foundation
import NIOCore
import SwitchyardCore

/// Answers in-process, like LiteLLM's `mock_response`: the target's fixed reply, or an echo of
/// the last user message. Streams as OpenAI `chat.completion.chunk` events, one per word.
struct MockAdapter: ProviderAdapter {
    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let reply = target.mockResponse ?? Self.lastUserText(request.messages)
        let id = "chatcmpl-mock-\(context.requestID)"
        let created = JSONValue.number(Int(Date().timeIntervalSince1970))
        let promptTokens = Self.estimateTokens(request.messages.map(Self.text(of:)).joined(separator: " "))
        let completionTokens = Self.estimateTokens(reply)
        let usage: JSONValue = [
            "prompt_tokens": .number(promptTokens), "completion_tokens": .number(completionTokens),
            "total_tokens": .number(promptTokens + completionTokens),
        ]
        let model = JSONValue.string(target.model)
        guard request.stream else {
            let body: JSONValue = [
                "id": .string(id), "object": "chat.completion", "created": created, "model": model,
                "choices": [["index": 0, "message": ["role": "assistant", "content": .string(reply)], "logprobs": nil, "finish_reason": "stop"]],
                "usage": usage,
            ]
            return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(body)))
        }
        func chunk(_ delta: JSONValue, finish: JSONValue = nil, usage: JSONValue? = nil) -> ByteBuffer {
            var object: JSONValue = [
                "id": .string(id), "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": usage == nil ? [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]] : [],
            ]
            if let usage, case .object(var fields) = object {
                fields["usage"] = usage
                object = .object(fields)
            }
            return ByteBuffer(bytes: Array("data: ".utf8) + JSONWriter.bytes(object) + Array("\n\n".utf8))
        }
        var chunks = [chunk(["role": "assistant", "content": ""])]
        for piece in Self.pieces(of: reply) {
            chunks.append(chunk(["content": .string(piece)]))
        }
        chunks.append(chunk([:], finish: "stop"))
        if request["stream_options"]?.objectValue?["include_usage"]?.boolValue == true {
            chunks.append(chunk([:], usage: usage))
        }
        chunks.append(ByteBuffer(string: "data: [DONE]\n\n"))
        return .stream(ByteStream(chunks: chunks))
    }

    /// Splits text into words, each keeping the whitespace before it.
    static func pieces(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if character.isWhitespace, !current.isEmpty, !(current.last?.isWhitespace ?? false) {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    static func lastUserText(_ messages: [JSONValue]) -> String {
        for message in messages.reversed() where message.objectValue?["role"]?.stringValue == "user" {
            return text(of: message)
        }
        return messages.last.map(text(of:)) ?? ""
    }

    /// The text of a message: string content, or its text parts joined.
    static func text(of message: JSONValue) -> String {
        switch message.objectValue?["content"] {
        case .string(let text)?: return text
        case .array(let parts)?:
            return parts.compactMap { $0.objectValue?["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }

    /// A rough token count (about four characters per token), as OpenAI's rule of thumb.
    static func estimateTokens(_ text: String) -> Int {
        text.isEmpty ? 0 : max(1, (text.utf8.count + 3) / 4)
    }
}
