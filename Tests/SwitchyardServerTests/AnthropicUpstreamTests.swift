import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

/// `kind: anthropic` end to end: an OpenAI client, the gateway, and a fake Anthropic Messages
/// server answering with fixtures from Anthropic's API reference.
@Suite("Anthropic upstream")
struct AnthropicUpstreamTests {
    static func config(port: Int, extra: String = "") -> String {
        """
        server: {access_log: false}
        providers:
          claude: {kind: anthropic, api_base: "http://127.0.0.1:\(port)", api_key: sk-ant-secret}
          canned: {kind: mock, mock_response: "backup answer"}
        models:
          tools: {provider: claude, model: claude-tools}
          text: {provider: claude, model: claude-text}
          stream: {provider: claude, model: claude-stream}
          gated: {provider: claude, model: claude-gated}
          overloaded: {provider: claude, model: claude-overloaded}
          limited: {provider: claude, model: claude-limited}
          too-long: {provider: claude, model: claude-too-long}
          filtered: {provider: claude, model: claude-filtered}
          stream-error: {provider: claude, model: claude-stream-error}
          backup: {provider: canned}
        \(extra)
        """
    }

    static func upstream() -> FixtureUpstream {
        FixtureUpstream { received in
            let model = received.json["model"] as? String ?? ""
            switch model {
            case "claude-tools": return FixtureUpstream.json(AnthropicFixtures.toolUseMessage)
            case "claude-text": return FixtureUpstream.json(AnthropicFixtures.textMessage)
            case "claude-stream": return FixtureUpstream.sse(AnthropicFixtures.toolStream)
            case "claude-overloaded": return FixtureUpstream.json(AnthropicFixtures.overloaded, status: .init(code: 529))
            case "claude-limited": return FixtureUpstream.json(AnthropicFixtures.rateLimited, status: .tooManyRequests, headers: [.retryAfter: "12"])
            case "claude-too-long": return FixtureUpstream.json(AnthropicFixtures.promptTooLong, status: .badRequest)
            case "claude-filtered": return FixtureUpstream.json(AnthropicFixtures.contentFiltered, status: .badRequest)
            case "claude-stream-error": return FixtureUpstream.sse(AnthropicFixtures.streamError)
            default: return FixtureUpstream.json("{}", status: .notFound)
            }
        }
    }

    static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The JSON objects of an OpenAI SSE body, `[DONE]` excluded.
    static func chunks(_ text: String) -> [[String: Any]] {
        text.components(separatedBy: "\n\n").compactMap { event -> [String: Any]? in
            guard event.hasPrefix("data: "), !event.hasPrefix("data: [DONE]") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8))) as? [String: Any]
        }
    }

    static let conversation = #"""
    {"model":"tools","messages":[
      {"role":"system","content":"You are terse."},
      {"role":"user","content":[{"type":"text","text":"Weather in SF and the time?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
      {"role":"assistant","content":null,"tool_calls":[
        {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"SF\"}"}},
        {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"call_1","content":"15C"},
      {"role":"tool","tool_call_id":"call_2","content":"10:00"},
      {"role":"user","content":"Thanks"}],
     "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}},
              {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}],
     "tool_choice":"required","parallel_tool_calls":false,"stop":"END","temperature":0.5,"user":"u-42","seed":7}
    """#

    @Test func requestIsTranslatedAndToolCallAnswerComesBackInOpenAIShape() async throws {
        let upstream = Self.upstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: Self.conversation)) { response in
                    #expect(response.status == .ok)
                    let body = Self.object(response.body)
                    #expect(body["object"] as? String == "chat.completion")
                    let choice = try #require((body["choices"] as? [[String: Any]])?.first)
                    #expect(choice["finish_reason"] as? String == "tool_calls")
                    let message = try #require(choice["message"] as? [String: Any])
                    #expect(message["content"] as? String == "I'll check the current weather in San Francisco for you.")
                    let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
                    #expect(call["id"] as? String == "toolu_01A09q90qw90lq917835lq9")
                    let function = try #require(call["function"] as? [String: Any])
                    #expect(function["name"] as? String == "get_weather")
                    let arguments = try JSONSerialization.jsonObject(with: Data((function["arguments"] as? String ?? "").utf8)) as? [String: String]
                    #expect(arguments == ["location": "San Francisco, CA", "unit": "celsius"])
                    let usage = try #require(body["usage"] as? [String: Any])
                    #expect(usage["prompt_tokens"] as? Int == 572)
                    #expect(usage["completion_tokens"] as? Int == 89)
                    #expect(usage["total_tokens"] as? Int == 661)
                    #expect((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int == 100)
                }
            }
        }
        let sent = try #require(upstream.received.first)
        #expect(sent.path == "/v1/messages")
        #expect(sent.header("x-api-key") == "sk-ant-secret")
        #expect(sent.header("anthropic-version") == "2023-06-01")
        #expect(sent.header("authorization") == nil)
        let json = sent.json
        #expect(json["model"] as? String == "claude-tools")
        #expect(json["system"] as? String == "You are terse.")
        #expect(json["max_tokens"] as? Int == 4096)
        #expect(json["stop_sequences"] as? [String] == ["END"])
        #expect(json["temperature"] as? Double == 0.5)
        #expect((json["metadata"] as? [String: String]) == ["user_id": "u-42"])
        #expect(json["seed"] == nil)
        #expect((json["tool_choice"] as? [String: Any])?["type"] as? String == "any")
        #expect((json["tool_choice"] as? [String: Any])?["disable_parallel_tool_use"] as? Bool == true)
        let tools = try #require(json["tools"] as? [[String: Any]])
        #expect(tools.map { $0["name"] as? String } == ["get_weather", "get_time"])
        #expect((tools[0]["input_schema"] as? [String: Any])?["type"] as? String == "object")
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
        let image = try #require((messages[0]["content"] as? [[String: Any]])?.last?["source"] as? [String: String])
        #expect(image == ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="])
        let toolUses = try #require(messages[1]["content"] as? [[String: Any]])
        #expect(toolUses.map { $0["type"] as? String } == ["tool_use", "tool_use"])
        #expect(toolUses.map { $0["id"] as? String } == ["call_1", "call_2"])
        #expect((toolUses[0]["input"] as? [String: String]) == ["location": "SF"])
        // Both results and the next user text share one user turn, results first.
        let results = try #require(messages[2]["content"] as? [[String: Any]])
        #expect(results.map { $0["type"] as? String } == ["tool_result", "tool_result", "text"])
        #expect(results.map { $0["tool_use_id"] as? String } == ["call_1", "call_2", nil])
        #expect(results[0]["content"] as? String == "15C")
    }

    @Test func maxTokensFromTheClientWins() async throws {
        let upstream = Self.upstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let body = ByteBuffer(string: #"{"model":"text","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":77}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .ok)
                    let choice = (Self.object(response.body)["choices"] as? [[String: Any]])?.first
                    #expect(choice?["finish_reason"] as? String == "stop")
                    #expect((choice?["message"] as? [String: Any])?["content"] as? String == "Hi! My name is Claude.")
                }
            }
        }
        #expect(upstream.received.first?.json["max_tokens"] as? Int == 77)
        #expect((upstream.received.first?.json["messages"] as? [[String: Any]])?.first?["content"] as? String == "hi")
    }

    @Test func streamIsTranslatedToOpenAIChunksWithParallelToolCallsAndUsage() async throws {
        let upstream = Self.upstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let body = GatewayHarness.chatBody(model: "stream", stream: true, extra: #","stream_options":{"include_usage":true}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    #expect(text.hasSuffix("data: [DONE]\n\n"))
                    let chunks = Self.chunks(text)
                    #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" && $0["id"] as? String == "msg_014p7gG3wDgGV9EUtLvnow3U" })
                    let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                    #expect(deltas.first?["role"] as? String == "assistant")
                    #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Okay, let's check the weather for San Francisco, CA:")
                    var calls: [Int: (id: String, name: String, arguments: String)] = [:]
                    for delta in deltas {
                        for call in delta["tool_calls"] as? [[String: Any]] ?? [] {
                            let index = call["index"] as? Int ?? -1
                            let function = call["function"] as? [String: Any] ?? [:]
                            var entry = calls[index] ?? ("", "", "")
                            if let id = call["id"] as? String { entry.id = id }
                            if let name = function["name"] as? String { entry.name = name }
                            entry.arguments += function["arguments"] as? String ?? ""
                            calls[index] = entry
                        }
                    }
                    #expect(calls.keys.sorted() == [0, 1])
                    #expect(calls[0]?.id == "toolu_01T1x1fJ34qAmk2tNTrN7Up6")
                    #expect(calls[0]?.name == "get_weather")
                    #expect((try? JSONSerialization.jsonObject(with: Data((calls[0]?.arguments ?? "").utf8))) as? [String: String] == ["location": "San Francisco, CA", "unit": "fahrenheit"])
                    #expect(calls[1]?.name == "get_time")
                    #expect((try? JSONSerialization.jsonObject(with: Data((calls[1]?.arguments ?? "").utf8))) as? [String: String] == ["timezone": "America/Los_Angeles"])
                    let finishes = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
                    #expect(finishes == ["tool_calls"])
                    let usage = try #require(chunks.last?["usage"] as? [String: Any])
                    #expect((chunks.last?["choices"] as? [Any])?.isEmpty == true)
                    #expect(usage["prompt_tokens"] as? Int == 472)
                    #expect(usage["completion_tokens"] as? Int == 89)
                }
                // Without include_usage there is no usage chunk.
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "stream", stream: true)) { response in
                    #expect(!String(buffer: response.body).contains("\"usage\""))
                }
            }
        }
        #expect(upstream.received.first?.json["stream"] as? Bool == true)
        #expect(upstream.received.first?.json["stream_options"] == nil)
    }

    @Test func firstTranslatedChunkLeavesBeforeTheUpstreamContinues() async throws {
        let upstream = FixtureUpstream { _ in
            Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: AnthropicFixtures.toolStreamEvents[0] + "\n\n"))
                try await writer.write(ByteBuffer(string: AnthropicFixtures.toolStreamEvents[3] + "\n\n"))
                try await Task.sleep(for: .milliseconds(1))
                // Hold the rest until the test has seen the first translated text.
                for await _ in upstreamGate.stream { break }
                for event in AnthropicFixtures.toolStreamEvents[4...] { try await writer.write(ByteBuffer(string: event + "\n\n")) }
                try await writer.finish(nil)
            })
        }
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let gatewayPort = try #require(client.port)
                let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
                defer { _ = http.shutdown() }
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)/v1/chat/completions")
                request.method = .POST
                request.body = .bytes(GatewayHarness.chatBody(model: "gated", stream: true))
                let response = try await http.execute(request, timeout: .seconds(10))
                var received = ""
                var iterator = response.body.makeAsyncIterator()
                while !received.contains("Okay") {
                    guard let chunk = try await iterator.next() else { break }
                    received += String(buffer: chunk)
                }
                #expect(received.contains("\"role\":\"assistant\""))
                #expect(received.contains("Okay"))
                #expect(!received.contains("San Francisco"))
                upstreamGate.continuation.yield(())
                while let chunk = try await iterator.next() { received += String(buffer: chunk) }
                #expect(received.contains("San Francisco"))
                #expect(received.hasSuffix("data: [DONE]\n\n"))
                try await http.shutdown()
            }
        }
    }

    @Test func overloadedIsRetryableAndFallsBack() async throws {
        let upstream = Self.upstream()
        try await upstream.run { port in
            let extra = """
                pipelines:
                  main:
                    - fallback: {to: [backup], on: [error]}
                    - route-requested
                """
            try await GatewayHarness.withGateway(yaml: Self.config(port: port, extra: extra)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "overloaded")) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("backup answer"))
                    #expect(response.headers[HTTPField.Name("x-switchyard-attempts")!] == "2")
                }
                // A stream whose first event is an error falls back too: nothing reached the client.
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "stream-error", stream: true)) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("backup"))
                }
            }
        }
    }

    @Test func errorsAreOpenAIShapedAndClassified() async throws {
        let upstream = Self.upstream()
        try await upstream.run { port in
            let extra = GatewayHarness.fallbackPipelines(on: "context_window, content_policy")
            try await GatewayHarness.withGateway(yaml: Self.config(port: port, extra: extra)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "overloaded")) { response in
                    #expect(response.status.code == 529)
                    let error = Self.object(response.body)["error"] as? [String: Any]
                    #expect(error?["message"] as? String == "Overloaded")
                    #expect(error?["code"] as? String == "overloaded")
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "limited")) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect(response.headers[.retryAfter] == "12")
                    #expect((Self.object(response.body)["error"] as? [String: Any])?["type"] as? String == "rate_limit_error")
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "too-long")) { response in
                    #expect(response.status == .badRequest)
                    #expect((Self.object(response.body)["error"] as? [String: Any])?["code"] as? String == "context_length_exceeded")
                }
                var fallback = GatewayHarness.json
                fallback[HTTPField.Name("x-fallback")!] = "yes"
                for model in ["too-long", "filtered"] {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: fallback, body: GatewayHarness.chatBody(model: model)) { response in
                        #expect(response.status == .ok, "\(model)")
                        #expect(String(buffer: response.body).contains("backup answer"))
                    }
                }
                // Overloaded is not a context or policy failure: that fallback does not take it.
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: fallback, body: GatewayHarness.chatBody(model: "overloaded")) { response in
                    #expect(response.status.code == 529)
                }
            }
        }
    }

    @Test func keyVariableDefaultsAndUnsetKeyMakesTheProviderUnavailable() async throws {
        let yaml = """
            providers:
              claude: {kind: anthropic}
            models:
              sonnet: {provider: claude, model: claude-sonnet-4-5}
            """
        try await GatewayHarness.withGateway(yaml: yaml) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "sonnet")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("ANTHROPIC_API_KEY"))
            }
        }
    }
}

/// Lets the gated fixture wait for the test (one stream per process is enough: one test uses it).
private let upstreamGate = AsyncStream<Void>.makeStream()
