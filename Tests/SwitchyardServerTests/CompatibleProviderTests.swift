import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import Testing

/// The OpenAI-compatible family (one table of base URLs and key variables) and Azure OpenAI.
@Suite("OpenAI-compatible family and Azure")
struct CompatibleProviderTests {
    static var upstream: FixtureUpstream { FixtureUpstream { _ in
        FixtureUpstream.json(#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}"#)
    } }

    @Test func everyFamilyKindHasItsDefaultsAndLiteLLMPrefix() throws {
        let family: [ProviderKind] = [.mistral, .groq, .deepseek, .togetherAI, .fireworksAI, .openrouter, .xai, .perplexity, .cerebras, .ollama, .vllm, .hostedVLLM, .lmStudio]
        for kind in family {
            #expect(kind.speaksOpenAI)
            #expect(ProviderKind.litellmPrefix(kind.rawValue)?.kind == kind)
        }
        #expect(ProviderKind.groq.defaults.apiBase == "https://api.groq.com/openai/v1")
        #expect(ProviderKind.groq.defaults.keyVariable == "GROQ_API_KEY")
        #expect(ProviderKind.ollama.defaults.keyRequired == false)
        #expect(ProviderKind.litellmPrefix("anthropic")?.keyVariable == "ANTHROPIC_API_KEY")
        #expect(ProviderKind.litellmPrefix("azure")?.kind == .azure)
        #expect(ProviderKind.litellmPrefix("openai")?.keyVariable == "OPENAI_API_KEY")
        #expect(ProviderKind.litellmPrefix("bedrock")?.kind == .bedrock)
        #expect(ProviderKind.litellmPrefix("vertex_ai")?.kind == .vertexAI)
        #expect(ProviderKind.litellmPrefix("sagemaker") == nil)
    }

    @Test func familyKindReadsItsKeyVariableAndSendsBearer() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            let yaml = """
                server: {access_log: false}
                providers:
                  groq: {kind: groq, api_base: "http://127.0.0.1:\(port)/openai/v1"}
                  local: {kind: ollama, api_base: "http://127.0.0.1:\(port)"}
                models:
                  llama: {provider: groq, model: llama-3.1-8b-instant}
                  local-llama: {provider: local, model: llama3.2}
                """
            try await GatewayHarness.withGateway(yaml: yaml, environment: ["GROQ_API_KEY": "gsk-test"]) { client in
                for model in ["llama", "local-llama"] {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: model)) { response in
                        #expect(response.status == .ok)
                    }
                }
            }
        }
        let sent = upstream.received.suffix(2)
        #expect(sent.first?.path == "/openai/v1/chat/completions")
        #expect(sent.first?.header("authorization") == "Bearer gsk-test")
        #expect(sent.first?.json["model"] as? String == "llama-3.1-8b-instant")
        // Ollama needs no key; a bare host gets its OpenAI-compatible /v1 path.
        #expect(sent.last?.path == "/v1/chat/completions")
        #expect(sent.last?.header("authorization") == nil)
    }

    @Test func unsetFamilyKeyMakesTheProviderUnavailable() async throws {
        let yaml = """
            providers:
              mistral: {kind: mistral}
            models:
              small: {provider: mistral, model: mistral-small-latest}
            """
        let config = try ConfigLoader.load(yaml: yaml, environment: [:])
        #expect(config.providers.first?.apiBase == "https://api.mistral.ai/v1")
        #expect(config.providers.first?.missingKeyVariable == "MISTRAL_API_KEY")
        try await GatewayHarness.withGateway(yaml: yaml) { client in
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: "small")) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("MISTRAL_API_KEY"))
            }
            try await client.execute(uri: "/v1/models", method: .get) { response in
                #expect(!String(buffer: response.body).contains("small"))
            }
        }
    }

    @Test func configErrorsForKindsThatNeedMore() throws {
        let yaml = """
            providers:
              local: {kind: vllm}
              gpt: {kind: openai, api_version: "2024-10-21"}
              az: {kind: azure, api_key: k}
            models:
              m: {provider: local}
            """
        var rendered: [String] = []
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "c.yaml", environment: [:])
        } catch {
            rendered = error.diagnostics.map(\.description)
        }
        #expect(rendered.contains { $0.contains("providers.local: kind 'vllm' needs an 'api_base'") })
        #expect(rendered.contains { $0.contains("providers.gpt.api_version: 'api_version' is only used by kind 'azure'") })
        #expect(rendered.contains { $0.contains("providers.az: kind 'azure' needs an 'api_base'") })
    }

    @Test func azureUsesDeploymentURLVersionAndAPIKeyHeader() async throws {
        let upstream = Self.upstream
        try await upstream.run { port in
            let yaml = """
                server: {access_log: false}
                providers:
                  az: {kind: azure, api_base: "http://127.0.0.1:\(port)", api_version: "2024-06-01"}
                  az-default: {kind: azure, api_base: "http://127.0.0.1:\(port)/openai", api_key: literal-key}
                models:
                  gpt-4o: {provider: az, model: my-gpt4o-deployment}
                  gpt-4o-default: {provider: az-default, model: prod gpt}
                """
            try await GatewayHarness.withGateway(yaml: yaml, environment: ["AZURE_API_KEY": "az-secret"]) { client in
                for model in ["gpt-4o", "gpt-4o-default"] {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: GatewayHarness.chatBody(model: model)) { response in
                        #expect(response.status == .ok)
                    }
                }
            }
        }
        let sent = upstream.received.suffix(2)
        #expect(sent.first?.path == "/openai/deployments/my-gpt4o-deployment/chat/completions")
        #expect(sent.first?.query == "api-version=2024-06-01")
        #expect(sent.first?.header("api-key") == "az-secret")
        #expect(sent.first?.header("authorization") == nil)
        #expect(sent.last?.path == "/openai/deployments/prod%20gpt/chat/completions")
        #expect(sent.last?.query == "api-version=2024-10-21")
        #expect(sent.last?.header("api-key") == "literal-key")
    }
}
