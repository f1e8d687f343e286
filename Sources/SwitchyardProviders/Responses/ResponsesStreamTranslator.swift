import NIOCore
import SwitchyardCore

/// OpenAI `chat.completion.chunk` SSE → Responses API SSE, one upstream event at a time.
///
/// The first chunk sends `response.created` and `response.in_progress`. Content deltas open a
/// `message` item (`output_item.added`, `content_part.added`) and become `output_text.delta`s; a
/// tool call opens a `function_call` item whose argument pieces become
/// `function_call_arguments.delta`s. An item is closed (`….done`, `output_item.done`) when the
/// next one opens or the stream ends. At `[DONE]` the remembered finish reason and usage go into
/// `response.completed` (or `response.incomplete` on a length stop). Every event carries
/// `sequence_number`, counted from 0.
package struct ResponsesStreamTranslator: SSEStreamTranslator {
    let envelope: ResponseEnvelope
    let progress: ResponseStreamProgress

    private enum Open {
        case none
        case text(output: Int)
        case tool(output: Int, chatIndex: Int)
    }

    private struct ToolCall {
        var callID: JSONValue
        var name: JSONValue
        var arguments: String
    }

    package var parser = SSEEventParser()
    private var sequence = 0
    private var started = false
    package private(set) var ended = false
    private var open = Open.none
    /// The open message's text so far (appended in place: long answers stay linear).
    private var text = ""
    /// Finished output items, in order.
    private var output: [JSONValue] = []
    /// Chat tool-call index → the call as received so far.
    private var calls: [Int: ToolCall] = [:]
    private var finishReason: String?
    private var usage: JSONObject?

    package init(envelope: ResponseEnvelope, progress: ResponseStreamProgress) {
        self.envelope = envelope
        self.progress = progress
    }

    package mutating func translate(_ event: SSEEventParser.Event, into out: inout [UInt8]) {
        if event.data.elementsEqual("[DONE]".utf8) {
            end(into: &out)
            return
        }
        guard case .object(let chunk)? = try? JSONParser.parse(event.data) else { return }
        if !started {
            started = true
            let response = envelope.object(status: "in_progress", output: [])
            emit("response.created", ["response": response], into: &out)
            emit("response.in_progress", ["response": response], into: &out)
        }
        if let error = chunk["error"]?.objectValue {
            let failure: JSONValue = ["code": "server_error", "message": error["message"] ?? "upstream error"]
            emit("response.failed", ["response": envelope.object(status: "failed", output: output, error: failure)], into: &out)
            ended = true
            return
        }
        if let usage = chunk["usage"]?.objectValue { self.usage = usage }
        guard let choice = chunk["choices"]?.arrayValue?.first?.objectValue else { return }
        let delta = choice["delta"]?.objectValue ?? JSONObject()
        if case .string(let text)? = delta["content"], !text.isEmpty { appendText(text, into: &out) }
        if case .string(let text)? = delta["refusal"], !text.isEmpty { appendText(text, into: &out) }
        for call in delta["tool_calls"]?.arrayValue ?? [] {
            guard let fields = call.objectValue else { continue }
            appendToolCall(fields, into: &out)
        }
        if case .string(let reason)? = choice["finish_reason"] { finishReason = reason }
    }

    private mutating func appendText(_ text: String, into out: inout [UInt8]) {
        let index: Int
        if case .text(let openIndex) = open {
            index = openIndex
        } else {
            close(into: &out)
            index = output.count
            self.text = ""
            let id = envelope.itemID("msg", index)
            emit("response.output_item.added", [
                "output_index": .number(index), "item": ResponsesResponseTranslation.message(id: id, content: [], status: "in_progress"),
            ], into: &out)
            emit("response.content_part.added", [
                "item_id": id, "output_index": .number(index), "content_index": 0, "part": ResponsesResponseTranslation.outputText(""),
            ], into: &out)
        }
        open = .text(output: index)
        self.text += text
        emit("response.output_text.delta", [
            "item_id": envelope.itemID("msg", index), "output_index": .number(index), "content_index": 0,
            "delta": .string(text), "logprobs": [],
        ], into: &out)
    }

    private mutating func appendToolCall(_ fields: JSONObject, into out: inout [UInt8]) {
        let chatIndex = fields["index"]?.intValue ?? 0
        let function = fields["function"]?.objectValue ?? JSONObject()
        let outputIndex: Int
        if case .tool(let index, let openChatIndex) = open, openChatIndex == chatIndex {
            outputIndex = index
        } else {
            close(into: &out)
            outputIndex = output.count
            let call = ToolCall(callID: fields["id"] ?? "", name: function["name"] ?? "", arguments: "")
            calls[chatIndex] = call
            open = .tool(output: outputIndex, chatIndex: chatIndex)
            emit("response.output_item.added", [
                "output_index": .number(outputIndex),
                "item": ResponsesResponseTranslation.functionCall(
                    id: envelope.itemID("fc", outputIndex), callID: call.callID, name: call.name, arguments: "", status: "in_progress"),
            ], into: &out)
        }
        if case .string(let arguments)? = function["arguments"], !arguments.isEmpty {
            calls[chatIndex]?.arguments += arguments
            emit("response.function_call_arguments.delta", [
                "item_id": envelope.itemID("fc", outputIndex), "output_index": .number(outputIndex), "delta": .string(arguments),
            ], into: &out)
        }
    }

    /// Ends the open item.
    private mutating func close(into out: inout [UInt8]) {
        switch open {
        case .none:
            return
        case .text(let index):
            let id = envelope.itemID("msg", index)
            let part = ResponsesResponseTranslation.outputText(text)
            emit("response.output_text.done", [
                "item_id": id, "output_index": .number(index), "content_index": 0, "text": .string(text), "logprobs": [],
            ], into: &out)
            emit("response.content_part.done", ["item_id": id, "output_index": .number(index), "content_index": 0, "part": part], into: &out)
            let item = ResponsesResponseTranslation.message(id: id, content: [part], status: "completed")
            output.append(item)
            emit("response.output_item.done", ["output_index": .number(index), "item": item], into: &out)
        case .tool(let index, let chatIndex):
            let id = envelope.itemID("fc", index)
            let call = calls[chatIndex] ?? ToolCall(callID: "", name: "", arguments: "")
            emit("response.function_call_arguments.done", [
                "item_id": id, "output_index": .number(index), "name": call.name, "arguments": .string(call.arguments),
            ], into: &out)
            let item = ResponsesResponseTranslation.functionCall(
                id: id, callID: call.callID, name: call.name, arguments: .string(call.arguments), status: "completed")
            output.append(item)
            emit("response.output_item.done", ["output_index": .number(index), "item": item], into: &out)
        }
        open = .none
    }

    private mutating func end(into out: inout [UInt8]) {
        if !started {
            started = true
            emit("response.created", ["response": envelope.object(status: "in_progress", output: [])], into: &out)
        }
        close(into: &out)
        let (status, incomplete) = ResponseEnvelope.status(finishReason: finishReason)
        let response = envelope.object(status: status, output: output, usage: ResponseEnvelope.usage(usage), incomplete: incomplete)
        progress.finish(response)
        emit(status == "completed" ? "response.completed" : "response.incomplete", ["response": response], into: &out)
        ended = true
    }

    /// `event: <type>` with `{"type": <type>, …fields, "sequence_number": n}`.
    private mutating func emit(_ type: String, _ fields: KeyValuePairs<String, JSONValue>, into out: inout [UInt8]) {
        var object = JSONObject([(key: "type", value: .string(type))])
        object.fields.reserveCapacity(fields.count + 2)
        for (key, value) in fields { object.fields.append((key: key, value: value)) }
        object.fields.append((key: "sequence_number", value: .number(sequence)))
        sequence += 1
        progress.advance(to: sequence)
        SSE.event(type, .object(object), into: &out)
    }
}
