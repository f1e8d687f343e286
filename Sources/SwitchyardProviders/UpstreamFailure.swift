import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif
import SwitchyardCore

/// Turns transport failures and upstream error responses into client-facing errors that name the
/// provider and never echo credentials or URLs.
enum UpstreamFailure {
    /// Upstream error bodies are read up to this size; the rest is dropped.
    static let maxErrorBodySize = 256 * 1024

    /// Classifies a transport failure by its type (never by its text).
    static func gatewayError(for error: any Error, provider: String) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded: return timedOut(provider, phase: "before its response headers")
            case .readTimeout: return timedOut(provider, phase: "(no data within its idle deadline)")
            case .writeTimeout: return timedOut(provider, phase: "(the request could not be sent in time)")
            case .connectTimeout: return unreachable(provider, reason: "connection timed out")
            case .remoteConnectionClosed: return unreachable(provider, reason: "connection closed before a complete response")
            case .cancelled, .alreadyShutdown: return cancelled(provider)
            case .bodyLengthMismatch: return invalid(provider)
            default: return unreachable(provider, reason: "connection failed")
            }
        case let error as IOError:
            return unreachable(provider, reason: reason(errno: error.errnoCode))
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return gatewayError(for: first.error, provider: provider) }
            return unreachable(provider, reason: "host not found")
        case is SocketAddressError:
            return unreachable(provider, reason: "host not found")
        case let error as ChannelError:
            if case .connectTimeout = error { return unreachable(provider, reason: "connection timed out") }
            return unreachable(provider, reason: "connection closed")
        case let error as HTTPParserError:
            // The connection closed in the middle of a response.
            if case .invalidEOFState = error { return unreachable(provider, reason: "connection closed before a complete response") }
            return invalid(provider)
        case is NIOTooManyBytesError:
            return GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(provider)' sent a response larger than the gateway accepts")
        case is CancellationError:
            return cancelled(provider)
        default:
            return unreachable(provider, reason: "connection failed")
        }
    }

    private static func reason(errno: CInt) -> String {
        switch errno {
        case ECONNREFUSED: "connection refused"
        case ECONNRESET, EPIPE: "connection reset"
        case ETIMEDOUT: "connection timed out"
        case EHOSTUNREACH, ENETUNREACH: "host unreachable"
        default: "connection failed"
        }
    }

    static func timedOut(_ provider: String, phase: String) -> GatewayError {
        GatewayError(.upstreamTimeout, status: 504, message: "upstream provider '\(provider)' did not answer \(phase)")
    }

    private static func cancelled(_ provider: String) -> GatewayError {
        GatewayError(.upstreamError, status: 499, message: "the request to upstream provider '\(provider)' was cancelled")
    }

    private static func invalid(_ provider: String) -> GatewayError {
        GatewayError(.upstreamInvalidResponse, status: 502, message: "upstream provider '\(provider)' sent an invalid or oversized response")
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
