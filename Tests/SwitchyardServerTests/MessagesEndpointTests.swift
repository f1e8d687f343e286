import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/messages`: Anthropic-format clients, answered in Anthropic's format whatever the
/// upstream kind (OpenAI-compatible, Anthropic, mock).
@Suite("Anthropic Messages endpoint")
struct MessagesEndpointTests {
    static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// `(event name, data object)` pairs of an Anthropic SSE body.
    static func events(_ text: String) -> [(String, [String: Any])] {
        text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard let name = lines.first(where: { $0.hasPrefix("event: ") }), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            let object = (try? JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8))) as? [String: Any] ?? [:]
            return (String(name.dropFirst(7)), object)
        }
    }

    /// An OpenAI-compatible upstream answering with a parallel tool call (streamed or not).
    static var openAIUpstream: FixtureUpstream { FixtureUpstream { received in openAIAnswer(stream: received.json["stream"] as? Bool == true) } }

    /// The upstream's answer: text and two tool calls, streamed or not.
    static func openAIAnswer(stream: Bool) -> Response {
        if stream {
            let chunks = [
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"content":"Checking"},"finish_reason":null}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":null}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
                #"{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"gpt","choices":[],"usage":{"prompt_tokens":31,"completion_tokens":12,"total_tokens":43}}"#,
            ]
            return FixtureUpstream.sse(chunks.map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n")
        }
        return FixtureUpstream.json(#"""
            {"id":"chatcmpl-8","object":"chat.completion","created":1,"model":"gpt","choices":[{"index":0,"message":{"role":"assistant","content":"Checking","tool_calls":[
              {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
              {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":31,"completion_tokens":12,"total_tokens":43}}
            """#)
    }

    static func config(port: Int) -> String {
        """
        server: {access_log: false}
        providers:
          gpt: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-openai}
          canned: {kind: mock, mock_response: "Hello from the mock"}
        models:
          gpt-tools: {provider: gpt, model: gpt-4o}
          canned: {provider: canned}
        """
    }

    static let request = #"""
    {"model":"gpt-tools","max_tokens":256,"system":"Be brief.","stop_sequences":["###"],"metadata":{"user_id":"u-1"},
     "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
     "tool_choice":{"type":"any","disable_parallel_tool_use":true},
     "messages":[
       {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]},
       {"role":"assistant","content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
       {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},{"type":"text","text":"And tomorrow?"}]}]}
    """#

    @Test func nonStreamingRequestIsTranslatedAndAnsweredInAnthropicFormat() async throws {
        let upstream = Self.openAIUpstream
        let before = upstream.received.count
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: Self.request)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("x-switchyard-target")!] == "gpt/gpt-4o")
                    let message = Self.object(response.body)
                    #expect(message["type"] as? String == "message")
                    #expect(message["role"] as? String == "assistant")
                    #expect(message["model"] as? String == "gpt-tools")
                    #expect(message["stop_reason"] as? String == "tool_use")
                    let content = try #require(message["content"] as? [[String: Any]])
                    #expect(content.map { $0["type"] as? String } == ["text", "tool_use", "tool_use"])
                    #expect(content[0]["text"] as? String == "Checking")
                    #expect(content[1]["id"] as? String == "call_a")
                    #expect((content[1]["input"] as? [String: String]) == ["city": "Paris"])
                    #expect(content[2]["name"] as? String == "get_time")
                    #expect((message["usage"] as? [String: Int]) == ["input_tokens": 31, "output_tokens": 12])
                }
            }
        }
        let sent = try #require(upstream.received.dropFirst(before).first).json
        #expect(sent["model"] as? String == "gpt-4o")
        #expect(sent["max_tokens"] as? Int == 256)
        #expect(sent["stop"] as? [String] == ["###"])
        #expect(sent["user"] as? String == "u-1")
        #expect(sent["tool_choice"] as? String == "required")
        #expect(sent["parallel_tool_calls"] as? Bool == false)
        let messages = try #require(sent["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "tool", "user"])
        #expect(messages[0]["content"] as? String == "Be brief.")
        let image = (messages[1]["content"] as? [[String: Any]])?.last?["image_url"] as? [String: String]
        #expect(image == ["url": "data:image/jpeg;base64,/9j/4AAQ"])
        let call = (messages[2]["tool_calls"] as? [[String: Any]])?.first
        #expect(call?["id"] as? String == "toolu_1")
        #expect(((call?["function"] as? [String: Any])?["arguments"] as? String) == #"{"city":"Paris"}"#)
        #expect(messages[3]["tool_call_id"] as? String == "toolu_1")
        #expect(messages[3]["content"] as? String == "18C")
        let tool = (sent["tools"] as? [[String: Any]])?.first?["function"] as? [String: Any]
        #expect(tool?["name"] as? String == "get_weather")
        #expect((tool?["parameters"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test func streamingAnswerBecomesAnthropicEvents() async throws {
        let upstream = Self.openAIUpstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let body = ByteBuffer(string: #"{"model":"gpt-tools","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Weather?"}]}"#)
                try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/event-stream")
                    let events = Self.events(String(buffer: response.body))
                    #expect(events.map(\.0) == [
                        "message_start",
                        "content_block_start", "content_block_delta", "content_block_stop",
                        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                        "content_block_start", "content_block_delta", "content_block_stop",
                        "message_delta", "message_stop",
                    ])
                    #expect(events.allSatisfy { $0.0 == ($0.1["type"] as? String) })
                    let toolStart = events[4].1["content_block"] as? [String: Any]
                    #expect(toolStart?["type"] as? String == "tool_use")
                    #expect(toolStart?["id"] as? String == "call_a")
                    #expect(events[4].1["index"] as? Int == 1)
                    let json = events[5...6].compactMap { ($0.1["delta"] as? [String: Any])?["partial_json"] as? String }.joined()
                    #expect(json == #"{"city":"Paris"}"#)
                    #expect(events[8].1["index"] as? Int == 2)
                    let delta = events[11].1
                    #expect((delta["delta"] as? [String: Any])?["stop_reason"] as? String == "tool_use")
                    #expect((delta["usage"] as? [String: Any])?["output_tokens"] as? Int == 12)
                }
            }
        }
        // The gateway asks the upstream for usage, which Anthropic's stream reports.
        let sent = try #require(upstream.received.last).json
        #expect((sent["stream_options"] as? [String: Bool]) == ["include_usage": true])
    }

    /// Anthropic client → gateway → Anthropic upstream: two translations, and the stream keeps
    /// its blocks, tool ids, input JSON, stop reason and usage.
    @Test func anthropicUpstreamStreamSurvivesBothTranslations() async throws {
        let upstream = FixtureUpstream { _ in FixtureUpstream.sse(AnthropicFixtures.toolStream) }
        try await upstream.run { port in
            let yaml = """
                server: {access_log: false}
                providers:
                  claude: {kind: anthropic, api_base: "http://127.0.0.1:\(port)", api_key: k}
                models:
                  claude: {provider: claude, model: claude-sonnet-4-5}
                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let body = ByteBuffer(string: #"{"model":"claude","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Weather?"}]}"#)
                try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: body) { response in
                    let events = Self.events(String(buffer: response.body))
                    let starts = events.filter { $0.0 == "content_block_start" }.compactMap { $0.1["content_block"] as? [String: Any] }
                    #expect(starts.map { $0["type"] as? String } == ["text", "tool_use", "tool_use"])
                    #expect(starts.map { $0["id"] as? String } == [nil, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "toolu_02BqHc7p4kS6W1rVfQ3nLm8Z"])
                    func input(_ index: Int) -> [String: String]? {
                        let json = events.filter { $0.0 == "content_block_delta" && $0.1["index"] as? Int == index }
                            .compactMap { ($0.1["delta"] as? [String: Any])?["partial_json"] as? String }.joined()
                        return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String]
                    }
                    #expect(input(1) == ["location": "San Francisco, CA", "unit": "fahrenheit"])
                    #expect(input(2) == ["timezone": "America/Los_Angeles"])
                    let text = events.compactMap { ($0.1["delta"] as? [String: Any])?["text"] as? String }.joined()
                    #expect(text == "Okay, let's check the weather for San Francisco, CA:")
                    let delta = try #require(events.first { $0.0 == "message_delta" }?.1)
                    #expect((delta["delta"] as? [String: Any])?["stop_reason"] as? String == "tool_use")
                    #expect((delta["usage"] as? [String: Int]) == ["input_tokens": 472, "output_tokens": 89])
                    #expect(events.last?.0 == "message_stop")
                }
            }
        }
    }

    @Test func mockUpstreamStreamsAndAnswers() async throws {
        try await GatewayHarness.withGateway(yaml: Self.config(port: 1)) { client in
            let body = ByteBuffer(string: #"{"model":"canned","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}"#)
            try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: body) { response in
                let message = Self.object(response.body)
                #expect((message["content"] as? [[String: Any]])?.first?["text"] as? String == "Hello from the mock")
                #expect(message["stop_reason"] as? String == "end_turn")
            }
            let stream = ByteBuffer(string: #"{"model":"canned","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
            try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: stream) { response in
                let events = Self.events(String(buffer: response.body))
                #expect(events.first?.0 == "message_start")
                #expect(events.last?.0 == "message_stop")
                let text = events.compactMap { ($0.1["delta"] as? [String: Any])?["text"] as? String }.joined()
                #expect(text == "Hello from the mock")
            }
        }
    }

    @Test func errorsUseAnthropicsShape() async throws {
        try await GatewayHarness.withGateway(yaml: Self.config(port: 1)) { client in
            let unknown = ByteBuffer(string: #"{"model":"nope","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}"#)
            try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: unknown) { response in
                #expect(response.status == .notFound)
                let body = Self.object(response.body)
                #expect(body["type"] as? String == "error")
                #expect((body["error"] as? [String: Any])?["type"] as? String == "not_found_error")
            }
            let noMax = ByteBuffer(string: #"{"model":"canned","messages":[{"role":"user","content":"hi"}]}"#)
            try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: noMax) { response in
                #expect(response.status == .badRequest)
                #expect(((Self.object(response.body)["error"] as? [String: Any])?["message"] as? String)?.contains("max_tokens") == true)
            }
        }
    }
}
