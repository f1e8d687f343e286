import Foundation
public import SwitchyardCore

/// What every Response object of one call shares (its id, creation time, model, and the request
/// settings it echoes), and how its output items are named. Used by the complete answer and by
/// every event of the stream.
public struct ResponseEnvelope: Sendable {
    /// `resp_…`: random, so ids cannot be guessed across keys.
    public let id: String
    public let createdAt: Int
    public let model: String
    let request: JSONObject
    private let itemSuffix: Substring

    /// - Parameters:
    ///   - request: the client's request object (its settings are echoed back).
    ///   - model: the model name the client asked for.
    ///   - id: nil for a new random id.
    ///   - createdAt: seconds since 1970; nil for now.
    public init(request: JSONObject = JSONObject(), model: String, id: String? = nil, createdAt: Int? = nil) {
        self.id = id ?? Self.newID()
        self.createdAt = createdAt ?? Int(Date().timeIntervalSince1970)
        self.model = model
        self.request = request
        self.itemSuffix = self.id.dropFirst("resp_".count)
    }

    /// A new `resp_` id: 24 bytes from the system's cryptographic random source, hex.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        var hex = "resp_"
        for _ in 0..<24 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            hex += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }
        return hex
    }

    /// The id of the answer's `index`-th output item (`msg_…`, `fc_…`).
    func itemID(_ prefix: String, _ index: Int) -> JSONValue {
        .string("\(prefix)_\(itemSuffix)\(index)")
    }

    /// The Response object.
    /// - Parameters:
    ///   - status: `in_progress`, `completed`, `incomplete` or `failed`.
    ///   - incomplete: the reason a response stopped early (`max_output_tokens`, `content_filter`).
    func object(status: String, output: [JSONValue], usage: JSONValue = nil, incomplete: String? = nil, error: JSONValue = nil) -> JSONValue {
        let incompleteDetails: JSONValue = incomplete.map { ["reason": .string($0)] } ?? .null
        let effort: JSONValue = request["reasoning"]?.objectValue?["effort"] ?? .null
        var text: JSONValue = request["text"] ?? .null
        if text.objectValue?["format"] == nil { text = ["format": ["type": "text"]] }
        func echo(_ field: String, _ otherwise: JSONValue = .null) -> JSONValue {
            guard let value = request[field], value != .null else { return otherwise }
            return value
        }
        return .object(JSONObject(pairs: [
            "id": .string(id), "object": "response", "created_at": .number(createdAt), "status": .string(status),
            "background": false, "error": error, "incomplete_details": incompleteDetails,
            "instructions": echo("instructions"), "max_output_tokens": echo("max_output_tokens"),
            "model": .string(model), "output": .array(output), "parallel_tool_calls": echo("parallel_tool_calls", true),
            "previous_response_id": echo("previous_response_id"), "reasoning": ["effort": effort, "summary": nil],
            "store": echo("store", true), "temperature": echo("temperature", 1), "text": text,
            "tool_choice": echo("tool_choice", "auto"), "tools": echo("tools", []), "top_p": echo("top_p", 1),
            "truncation": "disabled", "usage": usage, "user": echo("user"), "metadata": echo("metadata", [:]),
        ]))
    }

    /// Chat `usage` → Responses `usage` (input/output tokens with their cached and reasoning parts).
    static func usage(_ chat: JSONObject?) -> JSONValue {
        guard let chat else { return nil }
        let input = chat["prompt_tokens"]?.intValue ?? 0
        let output = chat["completion_tokens"]?.intValue ?? 0
        return [
            "input_tokens": .number(input),
            "input_tokens_details": ["cached_tokens": .number(chat["prompt_tokens_details"]?.objectValue?["cached_tokens"]?.intValue ?? 0)],
            "output_tokens": .number(output),
            "output_tokens_details": [
                "reasoning_tokens": .number(chat["completion_tokens_details"]?.objectValue?["reasoning_tokens"]?.intValue ?? 0)
            ],
            "total_tokens": .number(chat["total_tokens"]?.intValue ?? input + output),
        ]
    }

    /// Chat `finish_reason` → the response status and, when it stopped early, why.
    static func status(finishReason: String?) -> (status: String, incomplete: String?) {
        switch finishReason {
        case "length": ("incomplete", "max_output_tokens")
        case "content_filter": ("incomplete", "content_filter")
        default: ("completed", nil)
        }
    }
}
