import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("bad requests get OpenAI-shaped errors and the server keeps serving")
struct RequestErrorTests {
    func error(_ buffer: ByteBuffer) -> [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any]
        return object?["error"] as? [String: Any] ?? [:]
    }

    @Test(arguments: [
        (#"{"model": "echo", "messages": ["#, 400, "invalid_json", nil),
        (#"[1,2]"#, 400, "invalid_request", nil),
        (#"{"messages":[{"role":"user","content":"x"}]}"#, 400, "missing_field", "model"),
        (#"{"model":"echo"}"#, 400, "missing_field", "messages"),
        (#"{"model":42,"messages":[{"role":"user","content":"x"}]}"#, 400, "invalid_request", "model"),
        (#"{"model":"echo","messages":"hello"}"#, 400, "invalid_request", "messages"),
        (#"{"model":"echo","messages":[{"content":"x"}]}"#, 400, "missing_field", "messages[0].role"),
        (#"{"model":"echo","messages":[{"role":"user","content":5}]}"#, 400, "invalid_request", "messages[0].content"),
        (#"{"model":"echo","messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, 400, "invalid_request", "stream"),
        (#"{"model":"echo","messages":[{"role":"user","content":"x"}],"max_tokens":"many"}"#, 400, "invalid_request", "max_tokens"),
        (#"{"model":"no-such-model","messages":[{"role":"user","content":"x"}]}"#, 404, "model_not_found", "model"),
    ] as [(String, Int, String, String?)])
    func badRequest(body: String, status: Int, code: String, param: String?) async throws {
        try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: 1)) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: body)) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "application/json")
                let error = error(response.body)
                #expect(error["code"] as? String == code)
                #expect(error["param"] as? String == param)
                #expect((error["message"] as? String)?.isEmpty == false)
                #expect(error["type"] is String)
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "echo")) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownModelListsNothingSecret() async throws {
        try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: 1)) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "gpt-5")) { response in
                let message = try #require(error(response.body)["message"] as? String)
                #expect(message.contains("gpt-5"))
                #expect(!message.contains("sk-"))
                #expect(!message.contains("127.0.0.1"))
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let big = String(repeating: "a", count: 70 * 1024)
        try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: 1)) { client in
            let body = ByteBuffer(string: #"{"model":"echo","messages":[{"role":"user","content":"\#(big)"}]}"#)
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
                // The connection closes rather than read the rest of an oversized body.
                #expect(response.headers[.connection] == "close")
                #expect(error(response.body)["code"] as? String == "request_too_large")
            }
            // The gateway keeps serving (on a new connection).
            let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(try #require(client.port))/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(GatewayHarness.chatBody(model: "echo"))
            let answer = try await http.execute(request, timeout: .seconds(10))
            #expect(answer.status == .ok)
            try await http.shutdown()
        }
    }

    @Test func masterKeyIsRequiredOnApiRoutesButNotHealth() async throws {
        let yaml = GatewayHarness.config(upstreamPort: 1, masterKey: "sk-master-123")
        try await GatewayHarness.withGateway(yaml: yaml) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Bearer sk-master-12"], [.authorization: "sk-master-123"]] {
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: headers, body: GatewayHarness.chatBody(model: "echo")) { response in
                    #expect(response.status == .unauthorized)
                    #expect(error(response.body)["code"] as? String == "invalid_api_key")
                    #expect(!String(buffer: response.body).contains("sk-master-123"))
                }
                try await client.execute(uri: "/v1/models", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: [HTTPField.Name("x-api-key")!: "sk-master-123"], body: GatewayHarness.chatBody(model: "echo")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: [HTTPField.Name("x-api-key")!: "nope"], body: GatewayHarness.chatBody(model: "echo")) { response in
                #expect(response.status == .unauthorized)
            }
            let good: HTTPFields = [.authorization: "Bearer sk-master-123"]
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: good, body: GatewayHarness.chatBody(model: "echo")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/models", method: .get, headers: good) { response in
                #expect(response.status == .ok)
            }
            for path in ["/health", "/health/liveliness", "/health/readiness"] {
                try await client.execute(uri: path, method: .get) { response in #expect(response.status == .ok) }
            }
        }
    }

    @Test func modelsListsAvailableModelsOnly() async throws {
        let yaml = """
            providers:
              openai: {kind: openai, api_key: os.environ/SOME_UNSET_KEY}
              canned: {kind: mock}
            models:
              echo: {provider: canned}
              gpt-4o: {provider: openai}
            """
        try await GatewayHarness.withGateway(yaml: yaml) { client in
            for path in ["/v1/models", "/models"] {
                try await client.execute(uri: path, method: .get) { response in
                    let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                    let ids = (object?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                    #expect(ids == ["echo"])
                }
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "gpt-4o")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect((error(response.body)["message"] as? String)?.contains("SOME_UNSET_KEY") == true)
            }
        }
    }

    @Test func unknownRouteIs404InOpenAIShape() async throws {
        try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: 1)) { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(error(response.body)["code"] as? String == "not_found")
            }
        }
    }

    @Test func mockModelStreamsAndAnswers() async throws {
        try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: 1)) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "echo", stream: true, extra: #","stream_options":{"include_usage":true}"#)) { response in
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("data: "))
                #expect(text.contains(#""content":"hello""#))
                #expect(text.contains(#""usage""#))
                #expect(text.hasSuffix("data: [DONE]\n\n"))
            }
        }
    }
}
