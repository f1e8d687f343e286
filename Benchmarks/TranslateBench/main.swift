// Stream translation cost per event, in a release build:
//
//     swift run -c release translate-bench
//
// Feeds an Anthropic Messages SSE transcript with text and two parallel tool calls (the shape of
// the public API reference's example) through the Anthropic → OpenAI translator, and an OpenAI
// chunk stream through the OpenAI → Anthropic translator (/v1/messages) and, with a tool call
// added, through the OpenAI → Responses translator (/v1/responses), one event per chunk as
// a socket would deliver them. Prints the median and best of several runs, in µs per event, and
// how many events produced output on arrival (no buffering: every event that carries data is
// translated the moment it arrives).
import Foundation
import NIOCore
import SwitchyardProviders

let anthropicEvents: [String] = [
    #"event: message_start\#ndata: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}"#,
    #"event: content_block_start\#ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
    #"event: ping\#ndata: {"type": "ping"}"#,
] + (0..<20).map { i in
    #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word \#(i) "}}"#
} + [
    #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":0}"#,
    #"event: content_block_start\#ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}"#,
    #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\":"}}"#,
    #"event: content_block_delta\#ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"San Francisco, CA\"}"}}"#,
    #"event: content_block_stop\#ndata: {"type":"content_block_stop","index":1}"#,
    #"event: message_delta\#ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}"#,
    #"event: message_stop\#ndata: {"type":"message_stop"}"#,
]

let openAIEvents: [String] =
    [#"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#]
    + (0..<20).map { i in
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"word \#(i) "},"finish_reason":null}]}"#
    }
    + [
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        "data: [DONE]",
    ]

/// The same text, then a tool call whose arguments arrive in two pieces, then usage.
let openAIToolEvents: [String] =
    openAIEvents.dropLast(2)
    + [
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}"#,
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{"location":"}}]},"finish_reason":null}]}"#,
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" "San Francisco, CA"}"}}]},"finish_reason":null}]}"#,
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
        #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":472,"completion_tokens":89,"total_tokens":561}}"#,
        "data: [DONE]",
    ]

/// Runs `rounds` whole streams; returns µs per event and how many events produced output at once.
func measure<T: StreamTranslator>(_ events: [String], rounds: Int, _ make: () -> T) -> (Double, Int) {
    let chunks = events.map { ByteBuffer(string: $0 + "\n\n") }
    var immediate = 0
    let start = ContinuousClock.now
    for round in 0..<rounds {
        var translator = make()
        for chunk in chunks {
            let out = (try? translator.consume(chunk)) ?? []
            if round == 0, !out.isEmpty { immediate += 1 }
        }
        _ = try? translator.finish()
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (seconds * 1e6 / Double(rounds * events.count), immediate)
}

func report(_ name: String, _ events: [String], _ make: () -> some StreamTranslator) {
    var samples: [Double] = []
    var immediate = 0
    _ = measure(events, rounds: 2_000, make)  // warm-up
    for _ in 0..<7 {
        let (perEvent, produced) = measure(events, rounds: 5_000, make)
        samples.append(perEvent)
        immediate = produced
    }
    samples.sort()
    print(
        "\(name): median \(String(format: "%.2f", samples[samples.count / 2])) µs/event, best \(String(format: "%.2f", samples[0])) µs/event; "
            + "\(immediate) of \(events.count) events produced output on arrival")
}

report("Anthropic → OpenAI", anthropicEvents) { AnthropicStreamTranslator(model: "claude-sonnet-4-5", includeUsage: true, provider: "anthropic") }
report("OpenAI → Anthropic", openAIEvents) { MessagesStreamTranslator(model: "claude-sonnet-4-5") }
report("OpenAI → Responses", openAIToolEvents) {
    ResponsesStreamTranslator(envelope: ResponseEnvelope(model: "gpt-4o", id: "resp_bench"), progress: ResponseStreamProgress())
}
