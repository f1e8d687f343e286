import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import SwitchyardCore
import SwitchyardStore

/// The front end's one middleware: request id, authentication, errors in OpenAI's shape and the
/// access log of requests that end here (see `AccessLog`). One layer instead of four keeps the
/// per-request cost down.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let authenticator: Authenticator
    let accessLog: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let log = AccessLog(logger: context.logger, enabled: accessLog, method: request.method.rawValue, route: request.uri.path)
        context.accessLog = log
        var response: Response
        var errorType: String?
        do {
            if Self.requiresAuth(request.uri.path) {
                context.principal = try await authenticator.authenticate(request.headers)
            }
            response = try await next(request, context)
        } catch {
            let error = Self.gatewayError(for: error)
            errorType = error.code.description
            response = Self.errorResponse(error)
        }
        response.headers[.switchyardRequestID] = context.requestID
        if !log.isClaimed {
            log.write(.ended(status: response.status.code, principal: context.principal, errorType: errorType))
        }
        return response
    }

    /// Health checks and `/metrics` (which holds no secrets) are open; every API route needs a key.
    static func requiresAuth(_ path: String) -> Bool {
        !path.hasPrefix("/health") && path != "/metrics"
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
