/// Per-kind defaults: base URL, the environment variable holding the key, and how requests are
/// spoken upstream. The OpenAI-compatible family is one table, not one adapter each.
extension ProviderKind {
    /// What a kind brings when the config does not say: `api_base` and the key variable.
    public struct Defaults: Sendable {
        /// Base URL, up to and including the version path the server expects.
        public var apiBase: String?
        /// Read when `api_key` is not given.
        public var keyVariable: String?
        /// An unset `keyVariable` makes the provider unavailable (local servers need no key).
        public var keyRequired: Bool
    }

    /// The OpenAI-compatible family: kind → base URL and key variable (LiteLLM's names).
    static let compatibleTable: [ProviderKind: Defaults] = [
        .mistral: Defaults(apiBase: "https://api.mistral.ai/v1", keyVariable: "MISTRAL_API_KEY", keyRequired: true),
        .groq: Defaults(apiBase: "https://api.groq.com/openai/v1", keyVariable: "GROQ_API_KEY", keyRequired: true),
        .deepseek: Defaults(apiBase: "https://api.deepseek.com/v1", keyVariable: "DEEPSEEK_API_KEY", keyRequired: true),
        .togetherAI: Defaults(apiBase: "https://api.together.xyz/v1", keyVariable: "TOGETHERAI_API_KEY", keyRequired: true),
        .fireworksAI: Defaults(apiBase: "https://api.fireworks.ai/inference/v1", keyVariable: "FIREWORKS_AI_API_KEY", keyRequired: true),
        .openrouter: Defaults(apiBase: "https://openrouter.ai/api/v1", keyVariable: "OPENROUTER_API_KEY", keyRequired: true),
        .xai: Defaults(apiBase: "https://api.x.ai/v1", keyVariable: "XAI_API_KEY", keyRequired: true),
        .perplexity: Defaults(apiBase: "https://api.perplexity.ai", keyVariable: "PERPLEXITYAI_API_KEY", keyRequired: true),
        .cerebras: Defaults(apiBase: "https://api.cerebras.ai/v1", keyVariable: "CEREBRAS_API_KEY", keyRequired: true),
        .ollama: Defaults(apiBase: "http://localhost:11434/v1", keyVariable: nil, keyRequired: false),
        .vllm: Defaults(apiBase: nil, keyVariable: "HOSTED_VLLM_API_KEY", keyRequired: false),
        .hostedVLLM: Defaults(apiBase: nil, keyVariable: "HOSTED_VLLM_API_KEY", keyRequired: false),
        .lmStudio: Defaults(apiBase: "http://localhost:1234/v1", keyVariable: "LM_STUDIO_API_KEY", keyRequired: false),
    ]

    /// This kind's defaults (empty for `openai` and `mock`, whose config says everything).
    public var defaults: Defaults {
        if let entry = Self.compatibleTable[self] { return entry }
        switch self {
        case .anthropic: return Defaults(apiBase: "https://api.anthropic.com", keyVariable: "ANTHROPIC_API_KEY", keyRequired: true)
        case .azure: return Defaults(apiBase: nil, keyVariable: "AZURE_API_KEY", keyRequired: true)
        case .gemini: return Defaults(apiBase: "https://generativelanguage.googleapis.com", keyVariable: "GEMINI_API_KEY", keyRequired: true)
        default: return Defaults(apiBase: nil, keyVariable: nil, keyRequired: false)
        }
    }

    /// Served by the OpenAI adapter with the body passed through (`openai` and the family).
    public var speaksOpenAI: Bool { self == .openai || Self.compatibleTable[self] != nil }

    /// A LiteLLM model prefix (`groq/llama-3.1-8b`, `anthropic/claude-…`) → the kind serving it,
    /// its default base URL and key variable; nil for a prefix Switchyard does not serve.
    ///
    /// `openai/` reads `OPENAI_API_KEY` like LiteLLM; `openai_compatible/` and `custom_openai/`
    /// need the deployment's own `api_base` and `api_key`.
    public static func litellmPrefix(_ prefix: String) -> (kind: ProviderKind, defaultBase: String?, keyVariable: String?)? {
        switch prefix {
        case "openai": return (.openai, "https://api.openai.com/v1", "OPENAI_API_KEY")
        case "openai_compatible", "custom_openai": return (.openai, nil, nil)
        // Credentials come from the aws_* / vertex_* keys or their variables (ProviderSpec+Cloud).
        case "bedrock": return (.bedrock, nil, nil)
        case "vertex_ai": return (.vertexAI, nil, nil)
        case "ollama_chat": return (.ollama, ProviderKind.ollama.defaults.apiBase, nil)
        case "together": return (.togetherAI, ProviderKind.togetherAI.defaults.apiBase, ProviderKind.togetherAI.defaults.keyVariable)
        case "mistral", "groq", "deepseek", "together_ai", "fireworks_ai", "openrouter", "xai", "perplexity",
            "cerebras", "ollama", "vllm", "hosted_vllm", "lm_studio", "anthropic", "azure", "gemini":
            guard let kind = ProviderKind(rawValue: prefix) else { return nil }
            return (kind, kind.defaults.apiBase, kind.defaults.keyVariable)
        default: return nil
        }
    }
}
