import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/embeddings` through OpenAI-compatible, Azure and Gemini upstreams.
@Suite("embeddings")
struct EmbeddingsTests {
    static var upstream: FixtureUpstream {
        FixtureUpstream { received in
            if received.path.hasSuffix(":batchEmbedContents") {
                // Gemini's batchEmbedContents answer.
                return FixtureUpstream.json(#"{"embeddings":[{"values":[0.1,-0.2,0.3]},{"values":[0.4,0.5,-0.6]}]}"#)
            }
            return FixtureUpstream.json(#"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}"#)
        }
    }

    static func config(port: Int) -> String {
        """
        server: {access_log: false}
        providers:
          mistral: {kind: mistral, api_base: "http://127.0.0.1:\(port)/v1", api_key: m-key}
          az: {kind: azure, api_base: "http://127.0.0.1:\(port)", api_key: az-key}
          google: {kind: gemini, api_base: "http://127.0.0.1:\(port)", api_key: g-key}
          claude: {kind: anthropic, api_base: "http://127.0.0.1:\(port)", api_key: a-key}
        models:
          embed: {provider: mistral, model: mistral-embed}
          az-embed: {provider: az, model: embed-deployment}
          gemini-embed: {provider: google, model: text-embedding-004}
          claude: {provider: claude, model: claude-sonnet-4-5}
        """
    }

    static func object(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    @Test func compatibleAndAzurePassThroughAndGeminiTranslates() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.config(port: port)) { client in
                for model in ["embed", "az-embed"] {
                    let body = ByteBuffer(string: #"{"model":"\#(model)","input":"The food was delicious","encoding_format":"float"}"#)
                    try await client.execute(uri: "/v1/embeddings", method: .post, headers: GatewayHarness.json, body: body) { response in
                        #expect(response.status == .ok)
                        let data = Self.object(response.body)["data"] as? [[String: Any]]
                        #expect((data?.first?["embedding"] as? [Double])?.count == 2)
                    }
                }
                let gemini = ByteBuffer(string: #"{"model":"gemini-embed","input":["first","second"],"dimensions":3}"#)
                try await client.execute(uri: "/v1/embeddings", method: .post, headers: GatewayHarness.json, body: gemini) { response in
                    #expect(response.status == .ok)
                    let list = Self.object(response.body)
                    #expect(list["object"] as? String == "list")
                    let data = try #require(list["data"] as? [[String: Any]])
                    #expect(data.map { $0["index"] as? Int } == [0, 1])
                    #expect(data[1]["embedding"] as? [Double] == [0.4, 0.5, -0.6])
                }
                let claude = ByteBuffer(string: #"{"model":"claude","input":"x"}"#)
                try await client.execute(uri: "/v1/embeddings", method: .post, headers: GatewayHarness.json, body: claude) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body).contains("does not serve embeddings"))
                }
                try await client.execute(uri: "/v1/embeddings", method: .post, headers: GatewayHarness.json, body: ByteBuffer(string: #"{"model":"nope","input":"x"}"#)) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
        let sent = upstream.received
        #expect(sent.count == 3)
        #expect(sent[0].path == "/v1/embeddings")
        #expect(sent[0].header("authorization") == "Bearer m-key")
        #expect(sent[0].json["model"] as? String == "mistral-embed")
        #expect(sent[0].json["encoding_format"] as? String == "float")
        #expect(sent[1].path == "/openai/deployments/embed-deployment/embeddings")
        #expect(sent[1].header("api-key") == "az-key")
        #expect(sent[2].path == "/v1beta/models/text-embedding-004:batchEmbedContents")
        let requests = try #require(sent[2].json["requests"] as? [[String: Any]])
        #expect(requests.map { $0["model"] as? String } == ["models/text-embedding-004", "models/text-embedding-004"])
        #expect(requests.map { (($0["content"] as? [String: Any])?["parts"] as? [[String: String]])?.first?["text"] } == ["first", "second"])
        #expect(requests.first?["outputDimensionality"] as? Int == 3)
    }
}
