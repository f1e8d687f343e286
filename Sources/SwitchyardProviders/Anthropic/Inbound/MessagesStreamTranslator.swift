import NIOCore
import SwitchyardCore

/// OpenAI `chat.completion.chunk` SSE → Anthropic Messages SSE, one upstream event at a time.
///
/// The first chunk opens the message (`message_start`); content deltas open a text block,
/// a tool call with an id or name opens a `tool_use` block and its argument pieces become
/// `input_json_delta`s; a block is stopped when the next one opens. `finish_reason` and the
/// usage chunk are remembered and sent as `message_delta` + `message_stop` at `[DONE]`.
package struct MessagesStreamTranslator: SSEStreamTranslator {
    let model: String

    private enum Block: Equatable {
        case none
        case text(Int)
        case tool(Int)
    }

    package var parser = SSEEventParser()
    private var started = false
    package private(set) var ended = false
    private var open = Block.none
    private var nextBlock = 0
    /// OpenAI tool-call index → Anthropic block index.
    private var toolBlocks: [Int: Int] = [:]
    private var stopReason: JSONValue = .null
    private var inputTokens = 0
    private var outputTokens = 0

    package init(model: String) {
        self.model = model
    }

    package mutating func translate(_ event: SSEEventParser.Event, into out: inout [UInt8]) {
        if event.data.elementsEqual("[DONE]".utf8) {
            end(into: &out)
            return
        }
        guard case .object(let chunk)? = try? JSONParser.parse(event.data) else { return }
        if let error = chunk["error"]?.objectValue {
            SSE.event("error", ["type": "error", "error": ["type": "api_error", "message": error["message"] ?? "upstream error"]], into: &out)
            ended = true
            return
        }
        if !started {
            started = true
            SSE.event("message_start", [
                "type": "message_start",
                "message": [
                    "id": .string(MessagesResponseTranslation.messageID(chunk["id"]?.stringValue)), "type": "message",
                    "role": "assistant", "model": .string(model), "content": [], "stop_reason": nil, "stop_sequence": nil,
                    "usage": ["input_tokens": 0, "output_tokens": 0],
                ],
            ], into: &out)
        }
        if let usage = chunk["usage"]?.objectValue {
            inputTokens = usage["prompt_tokens"]?.intValue ?? inputTokens
            outputTokens = usage["completion_tokens"]?.intValue ?? outputTokens
        }
        guard let choice = chunk["choices"]?.arrayValue?.first?.objectValue else { return }
        let delta = choice["delta"]?.objectValue ?? JSONObject()
        if case .string(let text)? = delta["content"], !text.isEmpty {
            if case .text = open {} else {
                stopOpenBlock(into: &out)
                open = .text(nextBlock)
                nextBlock += 1
                SSE.event("content_block_start", ["type": "content_block_start", "index": .number(current), "content_block": ["type": "text", "text": ""]], into: &out)
            }
            SSE.event("content_block_delta", ["type": "content_block_delta", "index": .number(current), "delta": ["type": "text_delta", "text": .string(text)]], into: &out)
        }
        for call in delta["tool_calls"]?.arrayValue ?? [] {
            guard let fields = call.objectValue else { continue }
            let index = fields["index"]?.intValue ?? 0
            let function = fields["function"]?.objectValue ?? JSONObject()
            if toolBlocks[index] == nil {
                stopOpenBlock(into: &out)
                toolBlocks[index] = nextBlock
                open = .tool(nextBlock)
                nextBlock += 1
                SSE.event("content_block_start", [
                    "type": "content_block_start", "index": .number(current),
                    "content_block": ["type": "tool_use", "id": fields["id"] ?? "", "name": function["name"] ?? "", "input": [:]],
                ], into: &out)
            }
            if case .string(let arguments)? = function["arguments"], !arguments.isEmpty, let block = toolBlocks[index] {
                SSE.event("content_block_delta", [
                    "type": "content_block_delta", "index": .number(block),
                    "delta": ["type": "input_json_delta", "partial_json": .string(arguments)],
                ], into: &out)
            }
        }
        if let reason = choice["finish_reason"], reason != .null {
            stopReason = MessagesResponseTranslation.stopReason(reason)
        }
    }

    private var current: Int {
        switch open {
        case .none: -1
        case .text(let index), .tool(let index): index
        }
    }

    private mutating func stopOpenBlock(into out: inout [UInt8]) {
        guard open != .none else { return }
        SSE.event("content_block_stop", ["type": "content_block_stop", "index": .number(current)], into: &out)
        open = .none
    }

    private mutating func end(into out: inout [UInt8]) {
        stopOpenBlock(into: &out)
        SSE.event("message_delta", [
            "type": "message_delta", "delta": ["stop_reason": stopReason == .null ? "end_turn" : stopReason, "stop_sequence": nil],
            "usage": ["input_tokens": .number(inputTokens), "output_tokens": .number(outputTokens)],
        ], into: &out)
        SSE.event("message_stop", ["type": "message_stop"], into: &out)
        ended = true
    }
}
