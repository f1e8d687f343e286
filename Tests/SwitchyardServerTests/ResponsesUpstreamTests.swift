import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import Testing

/// A target flagged `api: responses` (a model only served by OpenAI's Responses API), reached by
/// chat-completions, `/v1/messages` and `/v1/responses` clients, against a fake upstream answering
/// in the shapes of the Responses API reference.
@Suite("Responses API upstream (api: responses)")
struct ResponsesUpstreamTests {
    static var upstream: FixtureUpstream { FixtureUpstream { received in
        switch (received.path, received.json["model"] as? String, received.json["stream"] as? Bool == true) {
        case ("/v1/responses", "gpt-5-codex", true): FixtureUpstream.sse(ResponsesFixtures.toolStream)
        case ("/v1/responses", "gpt-5-codex", false): FixtureUpstream.json(ResponsesFixtures.toolResponse)
        case ("/v1/responses", "failing", _): FixtureUpstream.sse(ResponsesFixtures.failedStream)
        default: FixtureUpstream.json(#"{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}"#, status: .notFound)
        }
    } }

    static func config(port: Int) -> String {
        """
        server: {access_log: false}
        providers:
          oa: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-openai}
        models:
          codex: {provider: oa, model: gpt-5-codex, api: responses}
          failing: {provider: oa, model: failing, api: responses}
        """
    }

    static let chatRequest = #"""
    {"model":"codex","max_tokens":300,"temperature":0.5,"reasoning_effort":"high","user":"u-9",
     "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object"},"strict":true}},
     "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}}],
     "tool_choice":{"type":"function","function":{"name":"get_weather"}},
     "messages":[{"role":"system","content":"Be brief."},
       {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"https://example.com/sky.png","detail":"low"}}]},
       {"role":"assistant","content":null,"tool_calls":[{"id":"call_0","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Oslo\"}"}}]},
       {"role":"tool","tool_call_id":"call_0","content":"-3C"},
       {"role":"user","content":"And Paris?"}]}
    """#

    @Test func chatRequestGoesToTheResponsesAPIAndComesBackAsAChatCompletion() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: Self.chatRequest)) { response in
                    #expect(response.status == .ok)
                    let completion = ResponsesEndpointTests.object(response.body)
                    #expect(completion["object"] as? String == "chat.completion")
                    let choice = try #require((completion["choices"] as? [[String: Any]])?.first)
                    #expect(choice["finish_reason"] as? String == "tool_calls")
                    let message = try #require(choice["message"] as? [String: Any])
                    #expect(message["content"] as? String == "Let me check the weather.")
                    let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
                    #expect(call["id"] as? String == "call_12345xyz")
                    #expect((call["function"] as? [String: String]) == ["name": "get_weather", "arguments": #"{"location":"Paris, France"}"#])
                    let usage = try #require(completion["usage"] as? [String: Any])
                    #expect(usage["prompt_tokens"] as? Int == 36)
                    #expect(usage["completion_tokens"] as? Int == 87)
                    #expect((usage["completion_tokens_details"] as? [String: Int]) == ["reasoning_tokens": 40])
                }
            }
        }
        let sent = try #require(upstream.received.first)
        #expect(sent.path == "/v1/responses")
        #expect(sent.header("authorization") == "Bearer sk-openai")
        let body = sent.json
        #expect(body["model"] as? String == "gpt-5-codex")
        #expect(body["store"] as? Bool == false)
        #expect(body["max_output_tokens"] as? Int == 300)
        #expect((body["reasoning"] as? [String: String]) == ["effort": "high"])
        #expect(body["user"] as? String == "u-9")
        let format = (body["text"] as? [String: Any])?["format"] as? [String: Any]
        #expect(format?["type"] as? String == "json_schema")
        #expect(format?["name"] as? String == "w")
        #expect((body["tool_choice"] as? [String: String]) == ["type": "function", "name": "get_weather"])
        let tool = try #require((body["tools"] as? [[String: Any]])?.first)
        #expect(tool["type"] as? String == "function")
        #expect(tool["name"] as? String == "get_weather")
        let input = try #require(body["input"] as? [[String: Any]])
        #expect(input.map { ($0["type"] as? String) ?? ($0["role"] as? String) } == ["system", "user", "function_call", "function_call_output", "user"])
        let parts = try #require(input[1]["content"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["input_text", "input_image"])
        #expect(parts[1]["image_url"] as? String == "https://example.com/sky.png")
        #expect(input[2]["call_id"] as? String == "call_0")
        #expect(input[2]["arguments"] as? String == #"{"location":"Oslo"}"#)
        #expect(input[3]["output"] as? String == "-3C")
    }

    @Test func streamBecomesChatChunksAndAnthropicEvents() async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let chat = ByteBuffer(string: #"{"model":"codex","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Weather?"}]}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: chat) { response in
                    let events = String(buffer: response.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }
                    #expect(events.last == "data: [DONE]")
                    let chunks = events.dropLast().compactMap { try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any] }
                    let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                    #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Let me check.")
                    let calls = deltas.flatMap { ($0["tool_calls"] as? [[String: Any]]) ?? [] }
                    #expect(calls.first?["id"] as? String == "call_12345xyz")
                    let arguments = calls.compactMap { ($0["function"] as? [String: Any])?["arguments"] as? String }.joined()
                    #expect(arguments == #"{"location":"Paris, France"}"#)
                    let finish = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
                    #expect(finish == ["tool_calls"])
                    #expect((chunks.last?["usage"] as? [String: Any])?["total_tokens"] as? Int == 48)
                }
                let messages = ByteBuffer(string: #"{"model":"codex","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Weather?"}]}"#)
                try await client.execute(uri: "/v1/messages", method: .post, headers: GatewayHarness.json, body: messages) { response in
                    let events = MessagesEndpointTests.events(String(buffer: response.body))
                    let starts = events.filter { $0.0 == "content_block_start" }.compactMap { $0.1["content_block"] as? [String: Any] }
                    #expect(starts.map { $0["type"] as? String } == ["text", "tool_use"])
                    #expect(starts.last?["id"] as? String == "call_12345xyz")
                    let delta = events.first { $0.0 == "message_delta" }?.1["delta"] as? [String: Any]
                    #expect(delta?["stop_reason"] as? String == "tool_use")
                    #expect(events.last?.0 == "message_stop")
                }
            }
        }
    }

    /// Responses client → chat → Responses upstream → chat → Responses client.
    @Test func responsesClientReachesAResponsesUpstream() async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: #"{"model":"codex","input":"Weather?"}"#)
                ) { response in
                    let object = ResponsesEndpointTests.object(response.body)
                    #expect(ResponsesEndpointTests.outputText(object) == "Let me check the weather.")
                    let call = (object["output"] as? [[String: Any]])?.last
                    #expect(call?["call_id"] as? String == "call_12345xyz")
                    #expect((object["usage"] as? [String: Any])?["input_tokens"] as? Int == 36)
                }
            }
        }
    }

    @Test func anUpstreamFailureMidStreamEndsWithAnErrorEvent() async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let chat = ByteBuffer(string: #"{"model":"failing","stream":true,"messages":[{"role":"user","content":"hi"}]}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: chat) { response in
                    let text = String(buffer: response.body)
                    #expect(text.contains("Let me"))
                    #expect(text.contains("The model failed to generate a response."))
                    #expect(!text.contains("[DONE]"))
                }
            }
        }
    }

    @Test func unsupportedChatFieldsAnswer400() async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let chat = ByteBuffer(string: #"{"model":"codex","stop":["END"],"messages":[{"role":"user","content":"hi"}]}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: chat) { response in
                    #expect(response.status == .badRequest)
                    #expect((ResponsesEndpointTests.object(response.body)["error"] as? [String: Any])?["param"] as? String == "stop")
                }
            }
        }
    }

    @Test func anUnknownAPIIsAConfigError() throws {
        let yaml = """
            providers:
              oa: {kind: openai, api_key: k}
            models:
              codex: {provider: oa, api: completions}
            """
        var rendered: [String] = []
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "api.yaml", environment: [:])
        } catch {
            rendered = error.diagnostics.map(\.description)
        }
        #expect(rendered.contains { $0.hasPrefix("api.yaml:4:") && $0.contains("models.codex.api") && $0.contains("expected one of chat, responses") }, "\(rendered)")
    }
}
