/// Which OpenAI API a target is called through (`api:` on a model or target).
public enum UpstreamAPI: String, Sendable, CaseIterable {
    /// Chat completions (`/chat/completions`): every kind's default.
    case chat
    /// The Responses API (`/responses`), for models only served there: chat requests are
    /// translated to it and its answers back. OpenAI-kind and Azure providers only.
    case responses
}
