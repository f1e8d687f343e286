import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Turns transport failures and upstream error responses into client-facing errors that name the
/// provider and never echo credentials or URLs.
enum UpstreamFailure {
    /// Upstream error bodies are read up to this size; the rest is dropped.
    static let maxErrorBodySize = 256 * 1024

    static func gatewayError(for error: any Error, provider: String) -> GatewayError {
        if let error = error as? GatewayError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return GatewayError(.upstreamTimeout, status: 504, message: "upstream provider '\(provider)' did not answer in time")
            case .connectTimeout:
                return unreachable(provider, reason: "connection timed out")
            case .remoteConnectionClosed:
                return unreachable(provider, reason: "connection closed before a response")
            case .cancelled:
                return GatewayError(.upstreamError, status: 499, message: "the request to upstream provider '\(provider)' was cancelled")
            case .bodyLengthMismatch:
                return GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(provider)' sent an invalid or oversized response")
            default:
                break
            }
        }
        if error is NIOTooManyBytesError {
            return GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(provider)' sent a response larger than the gateway accepts")
        }
        if error is CancellationError {
            return GatewayError(.upstreamError, status: 499, message: "the request to upstream provider '\(provider)' was cancelled")
        }
        let text = String(describing: error).lowercased()
        let reason =
            if text.contains("refused") { "connection refused" }
            else if text.contains("timed out") || text.contains("timeout") { "connection timed out" }
            else if text.contains("resolve") || text.contains("dns") || text.contains("host") { "host not found" }
            else if text.contains("reset") || text.contains("closed") || text.contains("eof") { "connection closed" }
            else { "connection failed" }
        return unreachable(provider, reason: reason)
    }

    /// A provider's error, rendered in OpenAI's shape with a `code` that `retry.on` /
    /// `fallback.on` classify (`context_length_exceeded`, `content_policy_violation`, …).
    static func classified(status: Int, message: String, code: String, type: String? = nil) -> GatewayError {
        let type = type ?? GatewayErrorType.forStatus(status)
        let rendered: JSONValue = ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string(code)]]
        return GatewayError(.upstreamError, status: status, message: message, type: type, upstreamBody: JSONWriter.bytes(rendered))
    }

    static func unreachable(_ provider: String, reason: String) -> GatewayError {
        GatewayError(.upstreamUnreachable, status: 502, message: "upstream provider '\(provider)' is unreachable: \(reason)")
    }

    /// An upstream non-200 answer: same status; the body is kept when it is already an OpenAI
    /// error object, otherwise its text becomes the message.
    /// - Parameters:
    ///   - translate: reads a provider's own error shape (status, headers, body) into an OpenAI-shaped
    ///     error; nil falls back to the OpenAI reading below.
    static func fromResponse(
        _ response: HTTPClientResponse, provider: String,
        translate: ((_ status: Int, _ headers: HTTPHeaders, _ body: [UInt8]) -> GatewayError?)? = nil
    ) async -> GatewayError {
        let status = Int(response.status.code)
        let retryAfter = response.headers.first(name: "retry-after").flatMap { Int($0) }
        // OpenAI and Azure also send `retry-after-ms`; retry stages prefer it when present.
        let retryAfterMilliseconds = response.headers.first(name: "retry-after-ms").flatMap { Double($0) }.map { Int($0.rounded(.up)) }
        var bytes: [UInt8] = []
        if let body = try? await response.body.collect(upTo: maxErrorBodySize) {
            bytes = Array(body.readableBytesView)
        }
        if let translate, var translated = translate(status, response.headers, bytes) {
            translated.retryAfter = translated.retryAfter ?? retryAfter
            translated.retryAfterMilliseconds = translated.retryAfterMilliseconds ?? retryAfterMilliseconds
            return translated
        }
        if case .object(let object)? = try? JSONParser.parse(bytes), case .object(let error)? = object["error"] {
            var gatewayError = GatewayError(
                .upstreamError, status: status,
                message: error["message"]?.stringValue ?? "upstream provider '\(provider)' returned HTTP \(status)",
                upstreamBody: bytes, retryAfter: retryAfter)
            gatewayError.type = error["type"]?.stringValue ?? gatewayError.type
            gatewayError.retryAfterMilliseconds = retryAfterMilliseconds
            return gatewayError
        }
        var text = String(decoding: bytes.prefix(1000), as: UTF8.self).trimmingWhitespace()
        if text.isEmpty { text = response.status.reasonPhrase }
        var plainError = GatewayError(
            .upstreamError, status: status,
            message: "upstream provider '\(provider)' returned HTTP \(status): \(text)", retryAfter: retryAfter)
        plainError.retryAfterMilliseconds = retryAfterMilliseconds
        return plainError
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
