public import AsyncHTTPClient
public import SwitchyardCore

/// Every provider of a program, indexed as `GatewayProgram.providers`: the adapter the engine
/// calls, dispatching each request to its target's provider.
public struct ProviderSet: ProviderAdapter {
    private let adapters: [any ProviderAdapter]

    /// Builds one adapter per configured provider; network adapters share `clients` (one
    /// connection pool per provider and set of deadlines).
    public init(program: GatewayProgram, clients: UpstreamClients) {
        adapters = program.providers.map { provider -> any ProviderAdapter in
            switch provider.spec.kind {
            case .mock: MockAdapter()
            case .anthropic: AnthropicAdapter(provider: provider.spec, clients: clients)
            case .gemini: GeminiAdapter(provider: provider.spec, clients: clients)
            case .bedrock: BedrockAdapter(provider: provider.spec, clients: clients)
            case .vertexAI: VertexAdapter(provider: provider.spec, clients: clients)
            case .openai, .azure, .mistral, .groq, .deepseek, .togetherAI, .fireworksAI, .openrouter, .xai, .perplexity,
                .cerebras, .ollama, .vllm, .hostedVLLM, .lmStudio:
                OpenAIAdapter(provider: provider.spec, clients: clients)
            }
        }
    }

    func adapter(for target: Target) -> any ProviderAdapter { adapters[target.providerIndex] }

    public func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        try await adapters[target.providerIndex].chat(request, target: target, context: context)
    }
}
