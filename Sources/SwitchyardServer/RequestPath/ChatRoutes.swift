import Hummingbird

/// `POST /v1/chat/completions` (OpenAI format) and `POST /v1/messages` (Anthropic format): the
/// same path, two wire formats. Each request runs on the program live when it starts.
struct ChatRoutes {
    let live: LiveProgram

    func register(with router: Router<GatewayRequestContext>) {
        let openAI: @Sendable (Request, GatewayRequestContext) async throws -> Response = { request, context in
            await live.path.chat(request, context: context, format: OpenAIChatFormat())
        }
        router.post("/v1/chat/completions", use: openAI)
        router.post("/chat/completions", use: openAI)
        router.post("/v1/messages") { request, context in
            await live.path.chat(request, context: context, format: AnthropicMessagesWire())
        }
    }
}
