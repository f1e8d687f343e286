import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/responses`: Responses API clients, translated through chat completions to every
/// upstream kind (OpenAI-compatible, Anthropic, Gemini fixtures in their API references' shapes)
/// and answered as Response objects or Responses SSE events.
@Suite("Responses endpoint")
struct ResponsesEndpointTests {
    static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// `(event name, data object)` pairs of an SSE body.
    static func events(_ text: String) -> [(String, [String: Any])] {
        MessagesEndpointTests.events(text)
    }

    /// The text of a Response object's `output_text` parts.
    static func outputText(_ response: [String: Any]) -> String {
        ((response["output"] as? [[String: Any]]) ?? []).flatMap { ($0["content"] as? [[String: Any]]) ?? [] }
            .compactMap { $0["type"] as? String == "output_text" ? $0["text"] as? String : nil }.joined()
    }

    static func config(port: Int) -> String {
        """
        server: {access_log: false}
        providers:
          gpt: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-openai}
          claude: {kind: anthropic, api_base: "http://127.0.0.1:\(port)", api_key: sk-ant}
          google: {kind: gemini, api_base: "http://127.0.0.1:\(port)", api_key: g-secret}
        models:
          gpt-tools: {provider: gpt, model: gpt-4o}
          claude: {provider: claude, model: claude-sonnet-4-5}
          gemini: {provider: google, model: gemini-tools}
        """
    }

    /// One fake for the three upstream kinds, told apart by path.
    static var upstream: FixtureUpstream { FixtureUpstream { received in
        switch received.path {
        case "/v1/chat/completions": MessagesEndpointTests.openAIAnswer(stream: received.json["stream"] as? Bool == true)
        case "/v1/messages":
            received.json["stream"] as? Bool == true ? FixtureUpstream.sse(AnthropicFixtures.toolStream) : FixtureUpstream.json(AnthropicFixtures.toolUseMessage)
        case let path where path.hasSuffix(":streamGenerateContent"): FixtureUpstream.sse(GeminiUpstreamTests.stream)
        case let path where path.hasSuffix(":generateContent"): FixtureUpstream.json(GeminiUpstreamTests.toolAnswer)
        default: FixtureUpstream.json(#"{"error":{"message":"no such path"}}"#, status: .notFound)
        }
    } }

    static let request = #"""
    {"model":"gpt-tools","instructions":"Be brief.","max_output_tokens":256,"temperature":0.2,"top_p":0.9,"user":"u-1",
     "metadata":{"team":"alpha"},"parallel_tool_calls":false,"reasoning":{"effort":"low"},
     "text":{"format":{"type":"json_schema","name":"weather","schema":{"type":"object"},"strict":true}},
     "tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
     "tool_choice":{"type":"function","name":"get_weather"},
     "input":[
       {"role":"developer","content":"Answer in French."},
       {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather?"},{"type":"input_image","image_url":"data:image/jpeg;base64,/9j/4AAQ","detail":"low"}]},
       {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me look."}]},
       {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
       {"type":"function_call_output","call_id":"call_1","output":"18C"},
       {"role":"user","content":"And tomorrow?"}]}
    """#

    @Test func requestIsTranslatedAndAnsweredAsAResponse() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: Self.request)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("x-switchyard-target")!] == "gpt/gpt-4o")
                    let object = Self.object(response.body)
                    #expect((object["id"] as? String)?.hasPrefix("resp_") == true)
                    #expect(object["object"] as? String == "response")
                    #expect(object["status"] as? String == "completed")
                    #expect(object["model"] as? String == "gpt-tools")
                    #expect(object["instructions"] as? String == "Be brief.")
                    let output = try #require(object["output"] as? [[String: Any]])
                    #expect(output.map { $0["type"] as? String } == ["message", "function_call", "function_call"])
                    #expect(Self.outputText(object) == "Checking")
                    #expect(output[1]["call_id"] as? String == "call_a")
                    #expect(output[1]["name"] as? String == "get_weather")
                    #expect(output[1]["arguments"] as? String == #"{"city":"Paris"}"#)
                    #expect(output[2]["name"] as? String == "get_time")
                    let usage = try #require(object["usage"] as? [String: Any])
                    #expect(usage["input_tokens"] as? Int == 31)
                    #expect(usage["output_tokens"] as? Int == 12)
                    #expect(usage["total_tokens"] as? Int == 43)
                }
            }
        }
        let sent = try #require(upstream.received.first).json
        #expect(sent["model"] as? String == "gpt-4o")
        #expect(sent["max_completion_tokens"] as? Int == 256)
        #expect(sent["temperature"] as? Double == 0.2)
        #expect(sent["user"] as? String == "u-1")
        #expect(sent["metadata"] as? [String: String] == ["team": "alpha"])
        #expect(sent["parallel_tool_calls"] as? Bool == false)
        #expect(sent["reasoning_effort"] as? String == "low")
        let format = try #require(sent["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        #expect((format["json_schema"] as? [String: Any])?["name"] as? String == "weather")
        #expect((format["json_schema"] as? [String: Any])?["strict"] as? Bool == true)
        #expect(((sent["tool_choice"] as? [String: Any])?["function"] as? [String: String]) == ["name": "get_weather"])
        let tool = (sent["tools"] as? [[String: Any]])?.first?["function"] as? [String: Any]
        #expect(tool?["name"] as? String == "get_weather")
        let messages = try #require(sent["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "system", "user", "assistant", "tool", "user"])
        #expect(messages[0]["content"] as? String == "Be brief.")
        let parts = try #require(messages[2]["content"] as? [[String: Any]])
        #expect(parts.first?["text"] as? String == "Weather?")
        #expect(parts.last?["image_url"] as? [String: String] == ["url": "data:image/jpeg;base64,/9j/4AAQ", "detail": "low"])
        let call = (messages[3]["tool_calls"] as? [[String: Any]])?.first
        #expect(call?["id"] as? String == "call_1")
        #expect((call?["function"] as? [String: Any])?["arguments"] as? String == #"{"city":"Paris"}"#)
        #expect(messages[3]["content"] as? String == "Let me look.")
        #expect(messages[4]["tool_call_id"] as? String == "call_1")
        #expect(messages[4]["content"] as? String == "18C")
    }

    /// The event types, in order, and what the SDK's stream helper rebuilds from them.
    @Test func streamBecomesResponsesEventsInOrder() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                let body = ByteBuffer(string: #"{"model":"gpt-tools","stream":true,"input":"Weather?"}"#)
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/event-stream")
                    let events = Self.events(String(buffer: response.body))
                    #expect(events.map(\.0) == [
                        "response.created", "response.in_progress",
                        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                        "response.output_text.done", "response.content_part.done", "response.output_item.done",
                        "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                        "response.function_call_arguments.done", "response.output_item.done",
                        "response.output_item.added", "response.function_call_arguments.delta",
                        "response.function_call_arguments.done", "response.output_item.done",
                        "response.completed",
                    ])
                    #expect(events.allSatisfy { $0.0 == ($0.1["type"] as? String) })
                    #expect(events.map { $0.1["sequence_number"] as? Int } == Array(0..<events.count))
                    #expect(events[4].1["delta"] as? String == "Checking")
                    let arguments = events[9...10].compactMap { $0.1["delta"] as? String }.joined()
                    #expect(arguments == #"{"city":"Paris"}"#)
                    #expect(events[11].1["arguments"] as? String == #"{"city":"Paris"}"#)
                    let added = events[8].1["item"] as? [String: Any]
                    #expect(added?["call_id"] as? String == "call_a")
                    #expect(events[8].1["output_index"] as? Int == 1)
                    let final = try #require(events.last?.1["response"] as? [String: Any])
                    #expect(final["status"] as? String == "completed")
                    #expect(Self.outputText(final) == "Checking")
                    #expect((final["output"] as? [[String: Any]])?.count == 3)
                    #expect((final["usage"] as? [String: Any])?["output_tokens"] as? Int == 12)
                    let created = try #require(events.first?.1["response"] as? [String: Any])
                    #expect(created["id"] as? String == final["id"] as? String)
                    #expect(created["status"] as? String == "in_progress")
                }
            }
        }
        let sent = try #require(upstream.received.last).json
        #expect((sent["stream_options"] as? [String: Bool]) == ["include_usage": true])
    }

    @Test func anthropicUpstreamAnswersAndStreams() async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"claude","input":"Weather?","max_output_tokens":100}"#)
                ) { response in
                    let object = Self.object(response.body)
                    #expect(Self.outputText(object) == "I'll check the current weather in San Francisco for you.")
                    let call = try #require((object["output"] as? [[String: Any]])?.last)
                    #expect(call["type"] as? String == "function_call")
                    #expect(call["call_id"] as? String == "toolu_01A09q90qw90lq917835lq9")
                    let arguments = try JSONSerialization.jsonObject(with: Data(((call["arguments"] as? String) ?? "").utf8)) as? [String: String]
                    #expect(arguments == ["location": "San Francisco, CA", "unit": "celsius"])
                    #expect((object["usage"] as? [String: Any])?["output_tokens"] as? Int == 89)
                }
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"claude","input":"Weather?","stream":true}"#)
                ) { response in
                    let events = Self.events(String(buffer: response.body))
                    #expect(events.last?.0 == "response.completed")
                    let final = try #require(events.last?.1["response"] as? [String: Any])
                    #expect(Self.outputText(final) == "Okay, let's check the weather for San Francisco, CA:")
                    let calls = ((final["output"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "function_call" }
                    #expect(calls.map { $0["name"] as? String } == ["get_weather", "get_time"])
                    let deltas = events.filter { $0.0 == "response.output_text.delta" }.compactMap { $0.1["delta"] as? String }.joined()
                    #expect(deltas == "Okay, let's check the weather for San Francisco, CA:")
                    #expect((final["usage"] as? [String: Any])?["input_tokens"] as? Int == 472)
                }
            }
        }
    }

    @Test func geminiUpstreamAnswersAndStreams() async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: #"{"model":"gemini","input":"Weather?"}"#)
                ) { response in
                    let object = Self.object(response.body)
                    let output = try #require(object["output"] as? [[String: Any]])
                    #expect(output.map { $0["name"] as? String } == ["get_weather", "get_time"])
                    #expect(output.first?["arguments"] as? String == #"{"location":"Boston, MA"}"#)
                    #expect((object["usage"] as? [String: Any])?["total_tokens"] as? Int == 42)
                }
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"gemini","input":"Sky?","stream":true}"#)
                ) { response in
                    let events = Self.events(String(buffer: response.body))
                    let final = try #require(events.last?.1["response"] as? [String: Any])
                    #expect(events.last?.0 == "response.completed")
                    #expect(Self.outputText(final) == "The sky is blue.")
                    #expect(((final["output"] as? [[String: Any]])?.last?["name"] as? String) == "get_weather")
                }
            }
        }
    }

    @Test func lengthStopIsIncomplete() async throws {
        let upstream = FixtureUpstream { received in
            if received.json["stream"] as? Bool == true {
                return FixtureUpstream.sse([
                    #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Once upon"},"finish_reason":"length"}]}"#,
                    #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6,"completion_tokens_details":{"reasoning_tokens":1},"prompt_tokens_details":{"cached_tokens":3}}}"#,
                ].map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n")
            }
            return FixtureUpstream.json(#"""
                {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Once upon"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6,"completion_tokens_details":{"reasoning_tokens":1},"prompt_tokens_details":{"cached_tokens":3}}}
                """#)
        }
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"gpt-tools","input":"Tell a story","max_output_tokens":2}"#)
                ) { response in
                    let object = Self.object(response.body)
                    #expect(object["status"] as? String == "incomplete")
                    #expect(object["incomplete_details"] as? [String: String] == ["reason": "max_output_tokens"])
                    let usage = try #require(object["usage"] as? [String: Any])
                    #expect((usage["input_tokens_details"] as? [String: Int]) == ["cached_tokens": 3])
                    #expect((usage["output_tokens_details"] as? [String: Int]) == ["reasoning_tokens": 1])
                }
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json,
                    body: ByteBuffer(string: #"{"model":"gpt-tools","input":"Tell a story","max_output_tokens":2,"stream":true}"#)
                ) { response in
                    let events = Self.events(String(buffer: response.body))
                    #expect(events.last?.0 == "response.incomplete")
                    let final = events.last?.1["response"] as? [String: Any]
                    #expect(final?["incomplete_details"] as? [String: String] == ["reason": "max_output_tokens"])
                    #expect(Self.outputText(final ?? [:]) == "Once upon")
                }
            }
        }
    }

    @Test func brokenStreamEndsWithResponseFailed() async throws {
        try await FakeUpstream().run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                let body = ByteBuffer(string: #"{"model":"client-break","stream":true,"input":"hi"}"#)
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: body) { response in
                    let events = Self.events(String(buffer: response.body))
                    #expect(events.first?.0 == "response.created")
                    #expect(events.last?.0 == "response.failed")
                    #expect(!events.contains { $0.0 == "response.completed" })
                    #expect(events.map { $0.1["sequence_number"] as? Int } == Array(0..<events.count))
                    let failed = events.last?.1["response"] as? [String: Any]
                    #expect(failed?["status"] as? String == "failed")
                    #expect((failed?["error"] as? [String: Any])?["code"] as? String == "server_error")
                }
            }
        }
    }

    @Test(arguments: [
        (#"{"model":"gpt-tools","input":"hi","tools":[{"type":"web_search"}]}"#, "tools[0].type"),
        (#"{"model":"gpt-tools","input":"hi","tools":[{"type":"function","name":"f"},{"type":"file_search","vector_store_ids":["v"]}]}"#, "tools[1].type"),
        (#"{"model":"gpt-tools","input":"hi","tool_choice":{"type":"web_search_preview"}}"#, "tool_choice"),
        (#"{"model":"gpt-tools","input":[{"type":"computer_call_output","call_id":"c"}]}"#, "input[0].type"),
        (#"{"model":"gpt-tools","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}"#, "input[0].content[0].image_url"),
        (#"{"model":"gpt-tools","input":"hi","background":true}"#, "background"),
        (#"{"model":"gpt-tools"}"#, "input"),
        (#"{"input":"hi"}"#, "model"),
        (#"{"model":"gpt-tools","input":42}"#, "input"),
    ])
    func unsupportedFieldsAnswer400NamingTheField(body: String, param: String) async throws {
        try await Self.upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest)
                    let error = try #require(Self.object(response.body)["error"] as? [String: Any])
                    #expect(error["param"] as? String == param)
                    #expect(error["type"] as? String == "invalid_request_error")
                }
            }
        }
    }

    /// Pipelines see a translated request like any chat request: `has: tools` routes it.
    @Test func pipelineConditionsApply() async throws {
        try await Self.upstream.run { port in
            let yaml = Self.config(port: port) + """

                pipelines:
                  main:
                    - match:
                        - when: {has: tools}
                          route: claude
                        - else: route-requested
                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let tools = #"{"model":"gemini","input":"hi","tools":[{"type":"function","name":"f","parameters":{"type":"object"}}]}"#
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: tools)) { response in
                    #expect(response.headers[HTTPField.Name("x-switchyard-target")!] == "claude/claude-sonnet-4-5")
                }
                try await client.execute(
                    uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: #"{"model":"gemini","input":"hi"}"#)
                ) { response in
                    #expect(response.headers[HTTPField.Name("x-switchyard-target")!] == "google/gemini-tools")
                }
            }
        }
    }

    /// `pipelines/pii-redaction.yaml`: instructions, input text, function-call arguments and
    /// outputs are scrubbed before the upstream; a tokenized value comes back in the answer,
    /// streamed (deltas) or not.
    @Test func scrubPoliciesApply() async throws {
        let upstream = FakeUpstream()
        let email = "jane.doe@example.com"
        let iban = "DE89 3704 0044 0532 0130 00"
        try await upstream.run { port in
            let yaml = try ScrubEndToEndTests.policyConfig(upstreamPort: port, extraModels: ["echo-stream-3"])
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let body: [String: Any] = [
                    "model": "echo", "instructions": "Escalate to \(email).",
                    "input": [
                        ["role": "user", "content": [["type": "input_text", "text": "Write to \(email)"]]],
                        ["type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{\"q\":\"\(email)\"}"],
                        ["type": "function_call_output", "call_id": "c1", "output": "found \(email)"],
                        ["role": "user", "content": "Pay \(iban) by Friday"],
                    ],
                ]
                let data = try JSONSerialization.data(withJSONObject: body)
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: ByteBuffer(bytes: data)) { response in
                    #expect(response.status == .ok)
                    #expect(Self.outputText(Self.object(response.body)).contains("Pay \(iban) by Friday"))
                }
                let stream = ByteBuffer(string: #"{"model":"echo-stream-3","stream":true,"input":"Pay \#(iban) by Friday"}"#)
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: stream) { response in
                    let events = Self.events(String(buffer: response.body))
                    let deltas = events.filter { $0.0 == "response.output_text.delta" }.compactMap { $0.1["delta"] as? String }.joined()
                    #expect(deltas == "Pay \(iban) by Friday")
                    #expect(Self.outputText(events.last?.1["response"] as? [String: Any] ?? [:]) == "Pay \(iban) by Friday")
                }
            }
        }
        let bodies = upstream.received.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == 2)
        #expect(bodies.allSatisfy { !$0.contains(email) && !$0.contains("3704") && $0.contains("<IBAN_1>") })
        #expect(bodies.first?.contains("[EMAIL]") == true)
    }
}
