import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import Prometheus
import Testing

/// `kind: bedrock` end to end against `BedrockFixtures.upstream`, which refuses requests whose
/// SigV4 signature is wrong.
@Suite("Bedrock upstream")
struct BedrockUpstreamTests {
    static let object = GeminiUpstreamTests.object
    static let chunks = AnthropicUpstreamTests.chunks

    static func post(_ client: any TestClientProtocol, _ body: String, headers: HTTPFields = GatewayHarness.json, uri: String = "/v1/chat/completions") async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func converseRequestIsTranslatedAndSignedAndToolCallsComeBack() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, GeminiUpstreamTests.conversation.replacingOccurrences(of: #""model":"tools""#, with: #""model":"claude""#))
                #expect(status == .ok, "\(text)")
                let body = Self.object(ByteBuffer(string: text))
                let choice = try #require((body["choices"] as? [[String: Any]])?.first)
                #expect(choice["finish_reason"] as? String == "tool_calls")
                let message = try #require(choice["message"] as? [String: Any])
                #expect(message["content"] as? String == "I'll look that up.")
                let calls = try #require(message["tool_calls"] as? [[String: Any]])
                #expect(calls.map { $0["id"] as? String } == ["tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "tooluse_2"])
                #expect(calls.map { ($0["function"] as? [String: Any])?["name"] as? String } == ["get_weather", "get_time"])
                #expect(((calls[0]["function"] as? [String: Any])?["arguments"] as? String) == #"{"location":"Seattle, WA"}"#)
                #expect((body["usage"] as? [String: Int]) == ["prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160])
            }
        }
        let sent = try #require(upstream.received.first)
        #expect(sent.path == "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse")
        #expect(sent.header("x-amz-security-token") == BedrockFixtures.sessionToken)
        #expect(sent.header("authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=\(BedrockFixtures.accessKeyID)/") == true)
        #expect(sent.header("authorization")?.contains("/us-west-2/bedrock/aws4_request") == true)
        let json = sent.json
        #expect(json["system"] as? [[String: String]] == [["text": "Be brief."]])
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
        let userContent = try #require(messages[0]["content"] as? [[String: Any]])
        #expect(userContent[0]["text"] as? String == "Weather?")
        #expect(((userContent[1]["image"] as? [String: Any])?["format"] as? String) == "png")
        #expect((((userContent[1]["image"] as? [String: Any])?["source"] as? [String: String])?["bytes"]) == "iVBOR")
        let toolUse = (messages[1]["content"] as? [[String: Any]])?.first?["toolUse"] as? [String: Any]
        #expect(toolUse?["toolUseId"] as? String == "call_7")
        #expect(toolUse?["input"] as? [String: String] == ["location": "Boston"])
        let results = try #require(messages[2]["content"] as? [[String: Any]])
        let toolResult = results.first?["toolResult"] as? [String: Any]
        #expect(toolResult?["toolUseId"] as? String == "call_7")
        #expect(toolResult?["content"] as? [[String: String]] == [["text": #"{"temp":5}"#]])
        #expect(results.last?["text"] as? String == "thanks")
        let inference = try #require(json["inferenceConfig"] as? [String: Any])
        #expect(inference["maxTokens"] as? Int == 100)
        #expect(inference["temperature"] as? Double == 0.2)
        #expect(inference["stopSequences"] as? [String] == ["END"])
        let toolConfig = try #require(json["toolConfig"] as? [String: Any])
        #expect(toolConfig["toolChoice"] as? [String: [String: String]] == ["any": [:]])
        let spec = (toolConfig["tools"] as? [[String: Any]])?.first?["toolSpec"] as? [String: Any]
        #expect(spec?["name"] as? String == "get_weather")
        #expect(((spec?["inputSchema"] as? [String: Any])?["json"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test func converseStreamIsDecodedAndTranslatedEventByEvent() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, GatewayHarness.chatBody(model: "claude-profile", stream: true, extra: #","stream_options":{"include_usage":true}"#).string)
                #expect(status == .ok)
                #expect(text.hasSuffix("data: [DONE]\n\n"))
                let chunks = Self.chunks(text)
                let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                #expect(deltas.first?["role"] as? String == "assistant")
                #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Let me check the weather.")
                let calls = deltas.compactMap { ($0["tool_calls"] as? [[String: Any]])?.first }
                #expect(calls.compactMap { $0["id"] as? String } == ["tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "tooluse_2"])
                let arguments = { (index: Int) in
                    calls.filter { $0["index"] as? Int == index }.compactMap { ($0["function"] as? [String: Any])?["arguments"] as? String }.joined()
                }
                #expect(arguments(0) == #"{"location": "Boston, MA"}"#)
                #expect(arguments(1) == #"{"tz":"EST"}"#)
                #expect(chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String } == ["tool_calls"])
                #expect((chunks.last?["usage"] as? [String: Int]) == ["prompt_tokens": 42, "completion_tokens": 17, "total_tokens": 59])
            }
        }
        let sent = try #require(upstream.received.first)
        #expect(sent.path == "/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream")
        #expect(sent.header("accept") == "application/vnd.amazon.eventstream")
    }

    @Test func invokeModelSendsTheAnthropicBody() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, GatewayHarness.chatBody(model: "claude-invoke").string)
                #expect(status == .ok)
                let message = (Self.object(ByteBuffer(string: text))["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
                #expect(((message?["tool_calls"] as? [[String: Any]])?.first?["id"] as? String) == "toolu_01A09q90qw90lq917835lq9")
                let (streamStatus, stream) = try await Self.post(client, GatewayHarness.chatBody(model: "claude-invoke", stream: true).string)
                #expect(streamStatus == .ok)
                let deltas = Self.chunks(stream).compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Hello from Bedrock.")
                #expect(stream.hasSuffix("data: [DONE]\n\n"))
                let (profileStatus, _) = try await Self.post(client, GatewayHarness.chatBody(model: "claude-profile-arn").string)
                #expect(profileStatus == .ok)
                let (llamaStatus, llama) = try await Self.post(client, GatewayHarness.chatBody(model: "llama-invoke").string)
                #expect(llamaStatus == .badRequest)
                #expect(llama.contains("use converse/meta.llama3-70b-instruct-v1:0"))
            }
        }
        let sent = upstream.received
        #expect(sent.map(\.path) == [
            "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke", "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke-with-response-stream",
            "/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aapplication-inference-profile%2Fabc123/invoke",
        ])
        #expect(sent.first?.json["anthropic_version"] as? String == "bedrock-2023-05-31")
        #expect(sent.first?.json["model"] == nil)
        #expect(sent.first?.json["max_tokens"] as? Int == 4096)
        #expect((sent.first?.json["messages"] as? [[String: Any]])?.first?["content"] as? String == "hello")
    }

    @Test func errorsAreClassifiedByAWSType() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let expectations: [(String, HTTPResponse.Status, String)] = [
                    ("throttled", .tooManyRequests, "rate_limit_exceeded"),
                    ("toolong", .badRequest, "context_length_exceeded"),
                    ("guardrail", .badRequest, "content_policy_violation"),
                    ("unavailable", .serviceUnavailable, "ServiceUnavailableException"),
                    ("denied", .forbidden, "AccessDeniedException"),
                ]
                for (model, expectedStatus, code) in expectations {
                    let (status, text) = try await Self.post(client, GatewayHarness.chatBody(model: model).string)
                    #expect(status == expectedStatus, "\(model): \(text)")
                    let error = Self.object(ByteBuffer(string: text))["error"] as? [String: Any]
                    #expect(error?["code"] as? String == code, "\(model): \(text)")
                }
                var fallback = GatewayHarness.json
                fallback[HTTPField.Name("x-fallback")!] = "yes"
                for model in ["throttled", "toolong", "guardrail"] {
                    let (status, text) = try await Self.post(client, GatewayHarness.chatBody(model: model).string, headers: fallback)
                    #expect(status == .ok, "\(model)")
                    #expect(text.contains("backup answer"), "\(model)")
                }
            }
        }
    }

    @Test func corruptAndInterruptedStreamsFailVisibly() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, GatewayHarness.chatBody(model: "corrupt", stream: true).string)
                #expect(status == .badGateway)
                #expect(text.contains("corrupt event stream: message checksum mismatch"))
                let (midStatus, mid) = try await Self.post(client, GatewayHarness.chatBody(model: "midstream", stream: true).string)
                #expect(midStatus == .ok)
                let deltas = Self.chunks(mid).compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                #expect(deltas.compactMap { $0["content"] as? String }.joined() == "Let me check the weather.")
                #expect(mid.contains("rate_limit_exceeded"))
                #expect(!mid.contains("[DONE]"))
            }
        }
    }

    @Test func titanAndCohereEmbeddingsThroughInvokeModel() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, #"{"model":"titan","input":["abc","hello"],"dimensions":256}"#, uri: "/v1/embeddings")
                #expect(status == .ok, "\(text)")
                let body = Self.object(ByteBuffer(string: text))
                #expect((body["data"] as? [[String: Any]])?.map { $0["embedding"] as? [Double] } == [[3, 0.5], [5, 0.5]])
                #expect((body["usage"] as? [String: Int]) == ["prompt_tokens": 8, "total_tokens": 8])
                let (cohereStatus, cohere) = try await Self.post(client, #"{"model":"cohere-embed","input":["a","b","c"]}"#, uri: "/v1/embeddings")
                #expect(cohereStatus == .ok)
                #expect((Self.object(ByteBuffer(string: cohere))["data"] as? [[String: Any]])?.map { $0["index"] as? Int } == [0, 1, 2])
            }
        }
        let sent = upstream.received
        #expect(sent.map(\.path) == [
            "/model/amazon.titan-embed-text-v2%3A0/invoke", "/model/amazon.titan-embed-text-v2%3A0/invoke", "/model/cohere.embed-english-v3/invoke",
        ])
        #expect(sent[0].json["inputText"] as? String == "abc")
        #expect(sent[0].json["dimensions"] as? Int == 256)
        #expect(sent[2].json["texts"] as? [String] == ["a", "b", "c"])
        #expect(sent[2].json["input_type"] as? String == "search_document")
    }

    @Test func bedrockAPIKeyIsSentAsBearerWithoutSignature() async throws {
        let upstream = BedrockFixtures.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, GatewayHarness.chatBody(model: "keyed").string)
                #expect(status == .ok)
                #expect(text.contains("keyed"))
            }
        }
        let sent = try #require(upstream.received.first)
        #expect(sent.path == "/model/meta.llama3-70b-instruct-v1%3A0/converse")
        #expect(sent.header("x-amz-date") == nil)
    }

    @Test func anthropicClientsReachBedrockThroughMessages() async throws {
        let upstream = BedrockFixtures.upstream
        let request = #"{"model":"claude-profile","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"Weather in Boston?"}],"tools":[{"name":"get_weather","input_schema":{"type":"object"}}]}"#
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port)) { client in
                let (status, text) = try await Self.post(client, request, uri: "/v1/messages")
                #expect(status == .ok)
                let events = MessagesEndpointTests.events(text)
                #expect(events.first?.0 == "message_start")
                #expect(events.last?.0 == "message_stop")
                let starts = events.filter { $0.0 == "content_block_start" }.compactMap { $0.1["content_block"] as? [String: Any] }
                #expect(starts.compactMap { $0["name"] as? String } == ["get_weather", "get_time"])
                let stop = events.first { $0.0 == "message_delta" }?.1["delta"] as? [String: Any]
                #expect(stop?["stop_reason"] as? String == "tool_use")
                let (plainStatus, plain) = try await Self.post(client, request.replacingOccurrences(of: #""stream":true"#, with: #""stream":false"#).replacingOccurrences(of: "claude-profile", with: "claude"), uri: "/v1/messages")
                #expect(plainStatus == .ok)
                let blocks = Self.object(ByteBuffer(string: plain))["content"] as? [[String: Any]]
                #expect(blocks?.map { $0["type"] as? String } == ["text", "tool_use", "tool_use"])
            }
        }
        #expect(upstream.received.first?.json["toolConfig"] != nil)
    }

    @Test func credentialsNeverReachClientsLogsOrMetrics() async throws {
        let upstream = BedrockFixtures.upstream
        let logs = InMemoryLogHandler()
        let registry = PrometheusCollectorRegistry()
        let seen = try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: BedrockFixtures.config(port: port).replacingOccurrences(of: "access_log: false", with: "access_log: true"), logHandler: logs, metrics: registry) { client in
                var seen = ""
                for model in ["denied", "claude", "toolong"] {
                    seen += try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: model)) { response in
                        response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + String(buffer: response.body)
                    }
                }
                seen += try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
                return seen
            }
        }
        #expect(seen.contains("AccessDeniedException: User is not authorized to perform bedrock:InvokeModel."))
        let logged = logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!logged.isEmpty)
        for secret in [BedrockFixtures.secretAccessKey, BedrockFixtures.sessionToken, BedrockFixtures.apiKey] {
            #expect(!seen.contains(secret))
            #expect(!logged.contains(secret))
        }
    }
}

extension ByteBuffer {
    var string: String { String(buffer: self) }
}
