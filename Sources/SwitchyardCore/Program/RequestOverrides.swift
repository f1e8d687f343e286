/// What a request asks of the engine itself, beyond the chat parameters: LiteLLM's request-body
/// switches. The front end reads them from the body (and strips them before the body goes
/// upstream); the engine honours them in `retry` and `fallback` stages.
public struct RequestOverrides: Sendable {
    /// `disable_fallbacks: true`: `fallback` stages run only what they wrap.
    public var disableFallbacks = false
    /// `num_retries: N`: every `retry` stage makes up to N retries (N + 1 attempts).
    public var numRetries: Int?
    /// `fallbacks: [model, …]`: tried in order when the whole request fails with an `error`-class
    /// failure (after the config's own fallbacks).
    public var fallbacks: [String] = []
    /// `mock_testing_fallbacks` (`"500"`) / `mock_testing_context_window_fallbacks`
    /// (`"context_window"`): the requested model fails without a call, so fallbacks run.
    public var simulatedFailure: String?

    public init() {}

    /// Request fields LiteLLM reads itself and never sends upstream.
    public static let litellmFields: Set<String> = [
        "fallbacks", "num_retries", "disable_fallbacks", "mock_testing_fallbacks",
        "mock_testing_context_window_fallbacks", "mock_testing_content_policy_fallbacks",
        "context_window_fallbacks", "mock_timeout", "metadata", "guardrails", "tags",
    ]

    /// Reads the switches from a request body.
    public init(request: ChatRequest) {
        disableFallbacks = request["disable_fallbacks"]?.boolValue ?? false
        numRetries = request["num_retries"]?.intValue.map { max(0, min($0, 99)) }
        if case .array(let names)? = request["fallbacks"] {
            fallbacks = names.compactMap { value in
                // LiteLLM also accepts `{"model": "name"}` entries.
                if let name = value.stringValue { return name }
                if case .object(let object) = value { return object["model"]?.stringValue }
                return nil
            }
        }
        if request["mock_testing_fallbacks"]?.boolValue == true {
            simulatedFailure = "500"
        } else if request["mock_testing_context_window_fallbacks"]?.boolValue == true {
            simulatedFailure = "context_window"
        } else if request["mock_testing_content_policy_fallbacks"]?.boolValue == true {
            simulatedFailure = "content_policy"
        }
    }
}
