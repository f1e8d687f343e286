import Foundation
import NIOHTTP1
import SwitchyardCore

/// Bedrock errors → OpenAI-shaped errors, by the AWS error type (the `x-amzn-errortype` header
/// or body `__type` of an HTTP error, the `:exception-type` of a stream exception) and status:
///
/// | AWS type | status | `code` | class |
/// |---|---|---|---|
/// | `ThrottlingException`, `ModelNotReadyException`, `ServiceQuotaExceededException` | 429 | `rate_limit_exceeded` | `rate_limit` (retryable) |
/// | `ValidationException` saying the input is too long | 400 | `context_length_exceeded` | `context_window` |
/// | any message about a guardrail or content filter | 400 | `content_policy_violation` | `content_policy` |
/// | `ServiceUnavailableException`, `InternalServerException`, `ModelStreamErrorException`, `ModelErrorException`, other 5xx | 5xx (stream: 503/500/502) | the type | `server` (retryable) |
/// | `ModelTimeoutException` | 408 | the type | `timeout` |
/// | `AccessDeniedException`, `UnrecognizedClientException`, signature and token errors | 401 / 403 | the type | `client` (authentication) |
///
/// Messages are cut before AWS's "The Canonical String…" explanation (it would echo the
/// signed headers, the session token among them) and any credential value is redacted.
enum BedrockErrors {
    static func gatewayError(provider: String, secrets: [String]) -> @Sendable (Int, HTTPHeaders, [UInt8]) -> GatewayError? {
        { status, headers, body in
            let object = (try? JSONParser.parse(body))?.objectValue
            let type = headers.first(name: "x-amzn-errortype") ?? object?["__type"]?.stringValue
            let message = object?["message"]?.stringValue ?? object?["Message"]?.stringValue
                ?? "upstream provider '\(provider)' returned HTTP \(status)"
            return translate(type: type, status: status, message: message, provider: provider, secrets: secrets)
        }
    }

    static func translate(type rawType: String?, status: Int?, message rawMessage: String, provider: String, secrets: [String]) -> GatewayError {
        // `ThrottlingException:http://internal.amazon.com/…`, `com.amazon…#ThrottlingException`
        var type = rawType.map { String($0.split(separator: ":").first ?? "") } ?? ""
        if let hash = type.lastIndex(of: "#") { type = String(type[type.index(after: hash)...]) }
        let name = type.lowercased()
        let message = sanitize(rawMessage, secrets: secrets)
        let lowered = message.lowercased()
        let shown = type.isEmpty ? message : "\(type): \(message)"
        switch name {
        case "throttlingexception", "toomanyrequestsexception", "modelnotreadyexception", "servicequotaexceededexception":
            return UpstreamFailure.classified(status: 429, message: shown, code: "rate_limit_exceeded")
        case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception", "expiredtokenexception",
            "incompletesignatureexception", "missingauthenticationtokenexception", "invalidclienttokenid":
            let status = status.flatMap { $0 == 401 || $0 == 403 ? $0 : nil } ?? 403
            return UpstreamFailure.classified(status: status, message: shown, code: type, type: "authentication_error")
        case "modeltimeoutexception":
            return UpstreamFailure.classified(status: 408, message: shown, code: type)
        default: break
        }
        if lowered.contains("guardrail") || lowered.contains("content filter") || lowered.contains("content policy") {
            return UpstreamFailure.classified(status: 400, message: shown, code: "content_policy_violation")
        }
        if name == "validationexception" || status == 400 || status == 413 {
            for marker in contextMarkers where lowered.contains(marker) {
                return UpstreamFailure.classified(status: 400, message: shown, code: "context_length_exceeded")
            }
        }
        let resolved: Int =
            switch name {
            case "serviceunavailableexception": 503
            case "internalserverexception": 500
            case "modelstreamerrorexception", "modelerrorexception": 502
            case "validationexception": 400
            case "resourcenotfoundexception": 404
            default: status.map { $0 == 424 ? 502 : $0 } ?? 502
            }
        return UpstreamFailure.classified(status: resolved, message: shown, code: type.isEmpty ? "upstream_error" : type)
    }

    /// What Bedrock models say when the prompt does not fit.
    static let contextMarkers = [
        "too long", "too many input tokens", "context window", "context length", "maximum context", "exceeds the maximum number of tokens",
        "max_tokens + input", "prompt is too long",
    ]

    static func sanitize(_ message: String, secrets: [String]) -> String {
        var text = message
        if let range = text.range(of: "The Canonical String") { text = String(text[..<range.lowerBound]) }
        for secret in secrets where !secret.isEmpty { text = text.replacingOccurrences(of: secret, with: "[redacted]") }
        return text.trimmingWhitespace()
    }
}
