import SwitchyardCore

/// Stored input items as `GET /v1/responses/{id}/input_items` lists them: every item typed and
/// with an id (the client may have sent neither), message text as `input_text` parts.
enum InputItems {
    static func listed(_ items: [JSONValue], responseID: String) -> [JSONValue] {
        let suffix = responseID.dropFirst("resp_".count)
        return items.enumerated().map { index, item in
            guard var fields = item.objectValue else { return item }
            if fields["type"] == nil { fields["type"] = "message" }
            if fields["type"]?.stringValue == "message" {
                if case .string(let text)? = fields["content"] {
                    let type = fields["role"]?.stringValue == "assistant" ? "output_text" : "input_text"
                    fields["content"] = [["type": .string(type), "text": .string(text)]]
                }
                if fields["status"] == nil { fields["status"] = "completed" }
            }
            if fields["id"] == nil { fields["id"] = .string("item_\(suffix)_\(index)") }
            return .object(fields)
        }
    }
}
