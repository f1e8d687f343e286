/// Bodies and SSE transcripts in the shapes of OpenAI's Responses API reference
/// (platform.openai.com: "Create a model response", "Streaming events", "Function calling").
enum ResponsesFixtures {
    /// A finished response with text and a function call.
    static let toolResponse = #"""
    {"id":"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b","object":"response","created_at":1741476542,"status":"completed",
     "error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-5-codex",
     "output":[
       {"type":"reasoning","id":"rs_1","summary":[]},
       {"type":"message","id":"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b","status":"completed","role":"assistant",
        "content":[{"type":"output_text","text":"Let me check the weather.","annotations":[]}]},
       {"type":"function_call","id":"fc_12345xyz","call_id":"call_12345xyz","name":"get_weather","arguments":"{\"location\":\"Paris, France\"}","status":"completed"}],
     "parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"medium","summary":null},"store":false,"temperature":1.0,
     "text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled",
     "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":12},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":40},"total_tokens":123},
     "user":null,"metadata":{}}
    """#

    /// The same answer streamed.
    static let toolStreamEvents: [(String, String)] = [
        ("response.created", #"{"type":"response.created","response":{"id":"resp_67ccfcdd16748190a91872c75d38539e09e4d4aac714747c","object":"response","created_at":1741487325,"status":"in_progress","model":"gpt-5-codex","output":[],"usage":null},"sequence_number":0}"#),
        ("response.in_progress", #"{"type":"response.in_progress","response":{"id":"resp_67ccfcdd16748190a91872c75d38539e09e4d4aac714747c","object":"response","created_at":1741487325,"status":"in_progress","model":"gpt-5-codex","output":[],"usage":null},"sequence_number":1}"#),
        ("response.output_item.added", #"{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","type":"message","status":"in_progress","role":"assistant","content":[]},"sequence_number":2}"#),
        ("response.content_part.added", #"{"type":"response.content_part.added","item_id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]},"sequence_number":3}"#),
        ("response.output_text.delta", #"{"type":"response.output_text.delta","item_id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","output_index":0,"content_index":0,"delta":"Let me","sequence_number":4}"#),
        ("response.output_text.delta", #"{"type":"response.output_text.delta","item_id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","output_index":0,"content_index":0,"delta":" check.","sequence_number":5}"#),
        ("response.output_text.done", #"{"type":"response.output_text.done","item_id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","output_index":0,"content_index":0,"text":"Let me check.","sequence_number":6}"#),
        ("response.content_part.done", #"{"type":"response.content_part.done","item_id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Let me check.","annotations":[]},"sequence_number":7}"#),
        ("response.output_item.done", #"{"type":"response.output_item.done","output_index":0,"item":{"id":"msg_67ccfcddc0b08190b1e27ab3b3da0fe6","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Let me check.","annotations":[]}]},"sequence_number":8}"#),
        ("response.output_item.added", #"{"type":"response.output_item.added","output_index":1,"item":{"type":"function_call","id":"fc_12345xyz","call_id":"call_12345xyz","name":"get_weather","arguments":"","status":"in_progress"},"sequence_number":9}"#),
        ("response.function_call_arguments.delta", #"{"type":"response.function_call_arguments.delta","item_id":"fc_12345xyz","output_index":1,"delta":"{\"location\":","sequence_number":10}"#),
        ("response.function_call_arguments.delta", #"{"type":"response.function_call_arguments.delta","item_id":"fc_12345xyz","output_index":1,"delta":"\"Paris, France\"}","sequence_number":11}"#),
        ("response.function_call_arguments.done", #"{"type":"response.function_call_arguments.done","item_id":"fc_12345xyz","output_index":1,"arguments":"{\"location\":\"Paris, France\"}","sequence_number":12}"#),
        ("response.output_item.done", #"{"type":"response.output_item.done","output_index":1,"item":{"type":"function_call","id":"fc_12345xyz","call_id":"call_12345xyz","name":"get_weather","arguments":"{\"location\":\"Paris, France\"}","status":"completed"},"sequence_number":13}"#),
        ("response.completed", #"{"type":"response.completed","response":{"id":"resp_67ccfcdd16748190a91872c75d38539e09e4d4aac714747c","object":"response","created_at":1741487325,"status":"completed","model":"gpt-5-codex","output":[],"usage":{"input_tokens":37,"input_tokens_details":{"cached_tokens":0},"output_tokens":11,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":48}},"sequence_number":14}"#),
    ]

    static var toolStream: String { toolStreamEvents.map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined() }

    /// A stream the upstream gives up on after its first text.
    static var failedStream: String {
        toolStreamEvents.prefix(5).map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined()
            + "event: response.failed\ndata: "
            + #"{"type":"response.failed","response":{"id":"resp_67ccfcdd16748190a91872c75d38539e09e4d4aac714747c","object":"response","status":"failed","error":{"code":"server_error","message":"The model failed to generate a response."},"output":[]},"sequence_number":5}"#
            + "\n\n"
    }
}
