/// List prices (USD per token) of common models of each shipped provider, from the providers'
/// public price pages as of 2026-11. A `server.model_prices` file overrides them; a target's
/// `input_cost_per_token` / `output_cost_per_token` override both.
enum BuiltInPrices {
    private static func perMillion(_ input: Double, _ output: Double) -> ModelPrice {
        ModelPrice(input: input / 1_000_000, output: output / 1_000_000)
    }

    static let table: [String: ModelPrice] = [
        // OpenAI
        "gpt-5": perMillion(1.25, 10), "gpt-5-mini": perMillion(0.25, 2), "gpt-5-nano": perMillion(0.05, 0.4),
        "gpt-4.1": perMillion(2, 8), "gpt-4.1-mini": perMillion(0.4, 1.6), "gpt-4.1-nano": perMillion(0.1, 0.4),
        "gpt-4o": perMillion(2.5, 10), "gpt-4o-mini": perMillion(0.15, 0.6),
        "gpt-4-turbo": perMillion(10, 30), "gpt-4": perMillion(30, 60), "gpt-3.5-turbo": perMillion(0.5, 1.5),
        "o1": perMillion(15, 60), "o3": perMillion(2, 8), "o3-mini": perMillion(1.1, 4.4), "o4-mini": perMillion(1.1, 4.4),
        "text-embedding-3-small": perMillion(0.02, 0), "text-embedding-3-large": perMillion(0.13, 0),
        "text-embedding-ada-002": perMillion(0.1, 0),
        // Anthropic
        "claude-opus-4-5": perMillion(5, 25), "claude-opus-4-1": perMillion(15, 75), "claude-opus-4": perMillion(15, 75),
        "claude-sonnet-4-5": perMillion(3, 15), "claude-sonnet-4": perMillion(3, 15), "claude-3-7-sonnet": perMillion(3, 15),
        "claude-3-5-sonnet": perMillion(3, 15), "claude-haiku-4-5": perMillion(1, 5), "claude-3-5-haiku": perMillion(0.8, 4),
        "claude-3-haiku": perMillion(0.25, 1.25), "claude-3-opus": perMillion(15, 75),
        // Google Gemini
        "gemini-2.5-pro": perMillion(1.25, 10), "gemini-2.5-flash": perMillion(0.3, 2.5), "gemini-2.5-flash-lite": perMillion(0.1, 0.4),
        "gemini-2.0-flash": perMillion(0.1, 0.4), "gemini-2.0-flash-lite": perMillion(0.075, 0.3),
        "gemini-1.5-pro": perMillion(1.25, 5), "gemini-1.5-flash": perMillion(0.075, 0.3), "text-embedding-004": perMillion(0, 0),
        // Mistral
        "mistral-large-latest": perMillion(2, 6), "mistral-medium-latest": perMillion(0.4, 2), "mistral-small-latest": perMillion(0.1, 0.3),
        "codestral-latest": perMillion(0.3, 0.9),
        // Groq
        "llama-3.3-70b-versatile": perMillion(0.59, 0.79), "llama-3.1-8b-instant": perMillion(0.05, 0.08),
        // DeepSeek
        "deepseek-chat": perMillion(0.27, 1.1), "deepseek-reasoner": perMillion(0.55, 2.19),
        // xAI
        "grok-4": perMillion(3, 15), "grok-3": perMillion(3, 15), "grok-3-mini": perMillion(0.3, 0.5),
    ]
}
