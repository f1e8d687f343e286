import SwitchyardCore

/// OpenAI `chat.completion` → Responses API Response object, for clients of `POST /v1/responses`.
///
/// The assistant's text becomes one `message` item with an `output_text` part (a refusal a
/// `refusal` part), each tool call a `function_call` item; `finish_reason: length` makes the
/// response `incomplete` with `incomplete_details.reason: max_output_tokens`.
enum ResponsesResponseTranslation {
    static func response(_ completion: JSONObject, envelope: ResponseEnvelope) -> JSONValue {
        let choice = completion["choices"]?.arrayValue?.first?.objectValue ?? JSONObject()
        let reply = choice["message"]?.objectValue ?? JSONObject()
        var output: [JSONValue] = []
        var content: [JSONValue] = []
        if case .string(let text)? = reply["content"], !text.isEmpty { content.append(outputText(text)) }
        if case .string(let refusal)? = reply["refusal"], !refusal.isEmpty { content.append(["type": "refusal", "refusal": .string(refusal)]) }
        if !content.isEmpty { output.append(message(id: envelope.itemID("msg", 0), content: content, status: "completed")) }
        for call in reply["tool_calls"]?.arrayValue ?? [] {
            guard let fields = call.objectValue, let function = fields["function"]?.objectValue else { continue }
            output.append(functionCall(
                id: envelope.itemID("fc", output.count), callID: fields["id"] ?? "", name: function["name"] ?? "",
                arguments: function["arguments"] ?? "", status: "completed"))
        }
        let (status, incomplete) = ResponseEnvelope.status(finishReason: choice["finish_reason"]?.stringValue)
        return envelope.object(status: status, output: output, usage: ResponseEnvelope.usage(completion["usage"]?.objectValue), incomplete: incomplete)
    }

    static func outputText(_ text: String) -> JSONValue {
        ["type": "output_text", "text": .string(text), "annotations": [], "logprobs": []]
    }

    static func message(id: JSONValue, content: [JSONValue], status: String) -> JSONValue {
        ["id": id, "type": "message", "status": .string(status), "role": "assistant", "content": .array(content)]
    }

    static func functionCall(id: JSONValue, callID: JSONValue, name: JSONValue, arguments: JSONValue, status: String) -> JSONValue {
        ["id": id, "type": "function_call", "status": .string(status), "arguments": arguments, "call_id": callID, "name": name]
    }
}
