import NIOHTTP1
import SwitchyardCore

/// Anthropic error answers (`{"type":"error","error":{"type","message"}}`) → OpenAI-shaped
/// errors whose `code` lets `retry.on` / `fallback.on` classify them: 429 rate limit,
/// 529 overloaded (retryable like any 5xx), context window, content policy.
enum AnthropicErrors {
    static func gatewayError(provider: String) -> @Sendable (Int, HTTPHeaders, [UInt8]) -> GatewayError? {
        { status, _, body in translate(status: status, body: body, provider: provider) }
    }

    static func translate(status: Int, body: [UInt8], provider: String) -> GatewayError? {
        guard case .object(let object)? = try? JSONParser.parse(body), let error = object["error"]?.objectValue else { return nil }
        let anthropicType = error["type"]?.stringValue ?? "api_error"
        let message = error["message"]?.stringValue ?? "upstream provider '\(provider)' returned HTTP \(status)"
        let lowered = message.lowercased()
        let code: String
        var type = GatewayErrorType.forStatus(status)
        if lowered.contains("prompt is too long") || lowered.contains("context window") || lowered.contains("too many tokens")
            || lowered.contains("exceeds the context") || lowered.contains("input length")
        {
            code = "context_length_exceeded"
        } else if lowered.contains("content filtering") || lowered.contains("content policy") || lowered.contains("usage policy")
            || lowered.contains("output blocked")
        {
            code = "content_policy_violation"
        } else if status == 529 || anthropicType == "overloaded_error" {
            code = "overloaded"
            type = "server_error"
        } else {
            code = anthropicType
        }
        return UpstreamFailure.classified(status: status, message: message, code: code, type: type)
    }
}

/// OpenAI's error `type` for a status (mirrors `GatewayError`'s default).
enum GatewayErrorType {
    static func forStatus(_ status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 429: "rate_limit_error"
        case 400..<500: "invalid_request_error"
        default: "server_error"
        }
    }
}
