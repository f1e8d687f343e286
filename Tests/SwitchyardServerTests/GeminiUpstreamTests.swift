import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `kind: gemini` end to end against a fake Gemini API answering with fixtures in the shapes of
/// Google's `generateContent` reference.
@Suite("Gemini upstream")
struct GeminiUpstreamTests {
    static let toolAnswer = #"""
    {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"location":"Boston, MA"}}},{"functionCall":{"name":"get_time","args":{"tz":"EST"}}}],"role":"model"},
      "finishReason":"STOP","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"}]}],
     "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":12,"totalTokenCount":42},"modelVersion":"gemini-2.0-flash","responseId":"abc"}
    """#
    static let stream = [
        #"{"candidates":[{"content":{"parts":[{"text":"The"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.0-flash"}"#,
        #"{"candidates":[{"content":{"parts":[{"text":" sky is blue."}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.0-flash"}"#,
        #"{"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"location":"Boston"}}}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":10,"totalTokenCount":18},"modelVersion":"gemini-2.0-flash"}"#,
    ].map { "data: \($0)\r\n\r\n" }.joined()
    static let blocked = #"{"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]}}"#
    static let tooLong = #"{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#

    static var upstream: FixtureUpstream {
        FixtureUpstream { received in
            switch received.path {
            case let path where path.hasSuffix("gemini-tools:generateContent"): return FixtureUpstream.json(Self.toolAnswer)
            case let path where path.hasSuffix("gemini-tools:streamGenerateContent"): return FixtureUpstream.sse(Self.stream)
            case let path where path.hasSuffix("gemini-blocked:generateContent"): return FixtureUpstream.json(Self.blocked)
            case let path where path.hasSuffix("gemini-long:generateContent"): return FixtureUpstream.json(Self.tooLong, status: .badRequest)
            default: return FixtureUpstream.json(#"{"error":{"code":404,"message":"not found","status":"NOT_FOUND"}}"#, status: .notFound)
            }
        }
    }

    static func config(port: Int) -> String {
        """
        server: {access_log: false}
        providers:
          google: {kind: gemini, api_base: "http://127.0.0.1:\(port)", api_key: g-secret}
          canned: {kind: mock, mock_response: "backup answer"}
        models:
          tools: {provider: google, model: gemini-tools}
          blocked: {provider: google, model: gemini-blocked}
          long: {provider: google, model: gemini-long}
          backup: {provider: canned}
        \(GatewayHarness.fallbackPipelines(on: "context_window, content_policy"))
        """
    }

    static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    static let conversation = #"""
    {"model":"tools","messages":[
      {"role":"system","content":"Be brief."},
      {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"call_7","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Boston\"}"}}]},
      {"role":"tool","tool_call_id":"call_7","content":"{\"temp\":5}"},
      {"role":"user","content":"thanks"}],
     "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
     "tool_choice":"required","temperature":0.2,"max_tokens":100,"stop":["END"]}
    """#

    @Test func requestAndToolCallAnswerTranslate() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: Self.conversation)) { response in
                    #expect(response.status == .ok)
                    let body = Self.object(response.body)
                    let choice = try #require((body["choices"] as? [[String: Any]])?.first)
                    #expect(choice["finish_reason"] as? String == "tool_calls")
                    let calls = try #require((choice["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])
                    #expect(calls.map { ($0["function"] as? [String: Any])?["name"] as? String } == ["get_weather", "get_time"])
                    #expect(calls.map { $0["id"] as? String } == ["call_0", "call_1"])
                    #expect(((calls[0]["function"] as? [String: Any])?["arguments"] as? String) == #"{"location":"Boston, MA"}"#)
                    #expect((body["usage"] as? [String: Int]) == ["prompt_tokens": 30, "completion_tokens": 12, "total_tokens": 42])
                }
            }
        }
        let sent = try #require(upstream.received.first)
        #expect(sent.path == "/v1beta/models/gemini-tools:generateContent")
        #expect(sent.header("x-goog-api-key") == "g-secret")
        let json = sent.json
        #expect(((json["systemInstruction"] as? [String: Any])?["parts"] as? [[String: String]]) == [["text": "Be brief."]])
        let contents = try #require(json["contents"] as? [[String: Any]])
        #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
        let userParts = try #require(contents[0]["parts"] as? [[String: Any]])
        #expect((userParts[1]["inlineData"] as? [String: String]) == ["mimeType": "image/png", "data": "iVBOR"])
        let call = (contents[1]["parts"] as? [[String: Any]])?.first?["functionCall"] as? [String: Any]
        #expect(call?["name"] as? String == "get_weather")
        let results = try #require(contents[2]["parts"] as? [[String: Any]])
        let functionResponse = results.first?["functionResponse"] as? [String: Any]
        #expect(functionResponse?["name"] as? String == "get_weather")
        #expect((functionResponse?["response"] as? [String: Int]) == ["temp": 5])
        #expect(results.last?["text"] as? String == "thanks")
        let config = try #require(json["generationConfig"] as? [String: Any])
        #expect(config["temperature"] as? Double == 0.2)
        #expect(config["maxOutputTokens"] as? Int == 100)
        #expect(config["stopSequences"] as? [String] == ["END"])
        #expect(((json["toolConfig"] as? [String: Any])?["functionCallingConfig"] as? [String: String]) == ["mode": "ANY"])
        let declarations = (json["tools"] as? [[String: Any]])?.first?["functionDeclarations"] as? [[String: Any]]
        #expect(declarations?.first?["name"] as? String == "get_weather")
    }

    @Test func streamTranslatesTextToolCallsAndUsage() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let body = GatewayHarness.chatBody(model: "tools", stream: true, extra: #","stream_options":{"include_usage":true}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    #expect(text.hasSuffix("data: [DONE]\n\n"))
                    let chunks = AnthropicUpstreamTests.chunks(text)
                    let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                    #expect(deltas.first?["role"] as? String == "assistant")
                    #expect(deltas.compactMap { $0["content"] as? String }.joined() == "The sky is blue.")
                    let call = deltas.compactMap { ($0["tool_calls"] as? [[String: Any]])?.first }.first
                    #expect(call?["index"] as? Int == 0)
                    #expect(((call?["function"] as? [String: Any])?["arguments"] as? String) == #"{"location":"Boston"}"#)
                    #expect(chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String } == ["tool_calls"])
                    #expect((chunks.last?["usage"] as? [String: Int]) == ["prompt_tokens": 8, "completion_tokens": 10, "total_tokens": 18])
                }
            }
        }
        #expect(upstream.received.first?.path == "/v1beta/models/gemini-tools:streamGenerateContent")
        #expect(upstream.received.first?.query == "alt=sse")
    }

    @Test func safetyBlocksAndTokenLimitsAreClassified() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "blocked")) { response in
                    #expect(response.status == .badRequest)
                    #expect((Self.object(response.body)["error"] as? [String: Any])?["code"] as? String == "content_policy_violation")
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "long")) { response in
                    #expect(response.status == .badRequest)
                    #expect((Self.object(response.body)["error"] as? [String: Any])?["code"] as? String == "context_length_exceeded")
                }
                var fallback = GatewayHarness.json
                fallback[HTTPField.Name("x-fallback")!] = "yes"
                for model in ["blocked", "long"] {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: fallback, body: GatewayHarness.chatBody(model: model)) { response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body).contains("backup answer"))
                    }
                }
            }
        }
    }
}
