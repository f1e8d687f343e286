import Foundation
import SwitchyardCore

/// Writes the OpenAI `chat.completion.chunk` events a translated stream sends: every chunk
/// carries the same id, creation time and model; deltas, finish reasons and the usage chunk
/// differ. Shared by the provider → OpenAI stream translators.
struct ChatChunkWriter: Sendable {
    var id: JSONValue
    /// The model reported in chunks (some upstreams name the exact version once they start).
    var model: JSONValue
    let created: JSONValue

    init(id: String, model: String) {
        self.id = .string(id)
        self.model = .string(model)
        self.created = .number(Int(Date().timeIntervalSince1970))
    }

    /// `data: {…, "choices": [{"index": 0, "delta": …, "finish_reason": …}]}`
    func chunk(_ delta: JSONValue, finish: JSONValue = nil, into out: inout [UInt8]) {
        SSE.data(.object(envelope(choices: [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]])), into: &out)
    }

    /// The first delta of a tool call: its index among the answer's calls, id and name.
    func toolCallStart(index: Int, id: JSONValue, name: JSONValue, into out: inout [UInt8]) {
        chunk(["tool_calls": [["index": .number(index), "id": id, "type": "function", "function": ["name": name, "arguments": ""]]]], into: &out)
    }

    /// A piece of a tool call's arguments.
    func toolCallArguments(index: Int, _ arguments: String, into out: inout [UInt8]) {
        chunk(["tool_calls": [["index": .number(index), "function": ["arguments": .string(arguments)]]]], into: &out)
    }

    /// The usage chunk (`choices: []`) sent at the end when `stream_options.include_usage` asks.
    func usage(_ usage: JSONValue, into out: inout [UInt8]) {
        var object = envelope(choices: [])
        object["usage"] = usage
        SSE.data(.object(object), into: &out)
    }

    private func envelope(choices: JSONValue) -> JSONObject {
        JSONObject(pairs: ["id": id, "object": "chat.completion.chunk", "created": created, "model": model, "choices": choices])
    }
}
