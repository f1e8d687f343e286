/// Bodies and SSE transcripts in the shapes of Anthropic's public Messages API reference
/// (docs.anthropic.com: "Messages", "Streaming Messages", "Tool use"; errors from "Errors").
enum AnthropicFixtures {
    /// A non-streaming answer with text and a tool call (the reference's get_weather example).
    static let toolUseMessage = #"""
    {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
     "content":[{"type":"text","text":"I'll check the current weather in San Francisco for you."},
                {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA","unit":"celsius"}}],
     "stop_reason":"tool_use","stop_sequence":null,
     "usage":{"input_tokens":472,"output_tokens":89,"cache_creation_input_tokens":0,"cache_read_input_tokens":100}}
    """#

    static let textMessage = #"""
    {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
     "content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,
     "usage":{"input_tokens":2095,"output_tokens":503}}
    """#

    /// Events of a streamed answer: text, then two parallel tool calls whose input arrives as
    /// `input_json_delta` pieces, with a `ping` in between (as the reference's transcript).
    static let toolStreamEvents: [String] = [
        #"event: message_start\#ndata: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
        #"event: ping\#ndata: {"type": "ping"}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", let's check the weather for San Francisco, CA:"}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":0}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San Francisco, CA\", \"unit\": \"fahrenheit\"}"}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":1}"#,
        #"event: content_block_start\#ndata: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02BqHc7p4kS6W1rVfQ3nLm8Z","name":"get_time","input":{}}}"#,
        #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"timezone\": \"America/Los_Angeles\"}"}}"#,
        #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":2}"#,
        #"event: message_delta\#ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#,
        #"event: message_stop\#ndata: {"type":"message_stop"}"#,
    ]

    static var toolStream: String { toolStreamEvents.map { $0 + "\n\n" }.joined() }

    static let overloaded = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
    static let rateLimited = #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#
    static let promptTooLong = #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208326 tokens > 200000 maximum"}}"#
    static let contentFiltered = #"{"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}}"#
    static let streamError = #"event: error\#ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"# + "\n\n"
}
