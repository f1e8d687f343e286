import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import SwitchyardCore

/// The front end's one middleware: request id, authentication, errors in OpenAI's shape and the
/// access log. One layer instead of four keeps the per-request cost down.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// The master key's bytes; nil when authentication is off.
    let masterKey: [UInt8]?
    let accessLog: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        if let masterKey, Self.requiresAuth(request.uri.path), !Self.authorized(request, key: masterKey) {
            response = Self.errorResponse(
                GatewayError(.invalidAPIKey, status: 401, message: "Missing or invalid API key. Send 'Authorization: Bearer <key>' (or 'x-api-key: <key>')."))
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = Self.errorResponse(Self.gatewayError(for: error))
            }
        }
        response.headers[.switchyardRequestID] = context.requestID
        if accessLog {
            let elapsed = ContinuousClock.now - start
            var metadata: Logger.Metadata = [:]
            if let path = response.headers[.switchyardPath] { metadata["pipeline.path"] = .string(path) }
            if let arm = response.headers[.switchyardArm] { metadata["pipeline.arm"] = .string(arm) }
            if let target = response.headers[.switchyardTarget] { metadata["provider.target"] = .string(target) }
            if let attempts = response.headers[.switchyardAttempts] { metadata["upstream.attempts"] = .string(attempts) }
            context.logger.info(
                "request",
                metadata: metadata.merging([
                    "request.id": .string(context.requestID),
                    "http.method": .string(request.method.rawValue),
                    "http.path": .string(request.uri.path),
                    "http.status": .stringConvertible(response.status.code),
                    "duration.ms": .stringConvertible(Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000 + Double(elapsed.components.seconds) * 1000),
                ]) { $1 })
        }
        return response
    }

    /// Health checks and `/metrics` (which holds no secrets) are open; every API route needs the key.
    static func requiresAuth(_ path: String) -> Bool {
        !path.hasPrefix("/health") && path != "/metrics"
    }

    /// `Authorization: Bearer <key>` (OpenAI clients), or `x-api-key: <key>` (Anthropic clients
    /// on `/v1/messages`).
    static func authorized(_ request: Request, key: [UInt8]) -> Bool {
        if let header = request.headers[.authorization] {
            let value = Substring(header)
            guard value.count > 7, value.prefix(7).lowercased() == "bearer " else { return false }
            return constantTimeEqual(Array(value.dropFirst(7).utf8), key)
        }
        if let header = request.headers[.xAPIKey] {
            return constantTimeEqual(Array(header.utf8), key)
        }
        return false
    }

    /// Compares without stopping at the first difference, so timing reveals nothing of the key.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<b.count {
            difference |= (i < a.count ? a[i] : 0) ^ b[i]
        }
        return difference == 0
    }

    static func gatewayError(for error: any Error) -> GatewayError {
        switch error {
        case let error as GatewayError:
            return error
        case is NIOTooManyBytesError:
            return GatewayError(.bodyTooLarge, status: 413, message: "The request body is larger than this gateway accepts.")
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return GatewayError(.notFound, status: 404, message: "No such route. See GET /v1/models and POST /v1/chat/completions.")
            case .methodNotAllowed:
                return GatewayError(.methodNotAllowed, status: 405, message: "Method not allowed on this route.")
            case .contentTooLarge:
                return GatewayError(.bodyTooLarge, status: 413, message: "The request body is larger than this gateway accepts.")
            default:
                return GatewayError(.invalidRequest, status: error.status.code, message: error.body ?? error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError:
            return GatewayError(.invalidRequest, status: error.status.code, message: error.status.reasonPhrase)
        default:
            return GatewayError(.internalError, status: 500, message: "Internal error.")
        }
    }

    static func errorResponse(_ error: GatewayError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: HTTPResponse.Status(code: error.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
    }
}

extension HTTPField.Name {
    static let xAPIKey = Self("x-api-key")!
    static let switchyardRequestID = Self("x-switchyard-request-id")!
    static let switchyardTarget = Self("x-switchyard-target")!
    /// Pipelines the request went through, comma-separated.
    static let switchyardPath = Self("x-switchyard-path")!
    /// The split arm taken, when a split ran.
    static let switchyardArm = Self("x-switchyard-arm")!
    /// Upstream calls made (retries and fallbacks included).
    static let switchyardAttempts = Self("x-switchyard-attempts")!
}
