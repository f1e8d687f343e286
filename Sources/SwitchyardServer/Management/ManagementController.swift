import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import SwitchyardCore
import SwitchyardStore

/// LiteLLM's management API — `/key/*`, `/team/*`, `/user/*`, `/customer/*` (`/end_user/*`),
/// `/spend/logs`, `/global/spend/*` — with its routes and bodies, so scripts written for LiteLLM
/// work unchanged. Needs the master key or a `proxy_admin` user's key; answers 503 while the
/// database is unreachable.
struct ManagementController {
    let keys: KeyServices
    let maxBodySize: Int

    typealias Handler = @Sendable (ManagementBody, GatewayRequestContext) async throws -> JSONValue

    func register(with router: Router<GatewayRequestContext>) {
        post(router, "/key/generate", generateKey)
        post(router, "/key/update", updateKey)
        post(router, "/key/delete", deleteKeys)
        get(router, "/key/info", keyInfo, selfService: true)
        get(router, "/key/list", listKeys)
        post(router, "/key/block") { body, _ in try await setBlocked(body, true) }
        post(router, "/key/unblock") { body, _ in try await setBlocked(body, false) }
        post(router, "/key/regenerate", regenerateKey)
        router.post("/key/:key/regenerate") { request, context in
            var body = try await managementBody(request, context)
            if let key = context.parameters.get("key") { body.object["key"] = .string(key) }
            return try await respond(regenerateKey(body, context))
        }
        post(router, "/team/new", newTeam)
        post(router, "/team/update", updateTeam)
        post(router, "/team/delete", deleteTeams)
        get(router, "/team/info", teamInfo)
        get(router, "/team/list", listTeams)
        post(router, "/user/new", newUser)
        post(router, "/user/update", updateUser)
        post(router, "/user/delete", deleteUsers)
        get(router, "/user/info", userInfo)
        for prefix in ["/customer", "/end_user"] {
            post(router, "\(prefix)/new", newEndUser)
            post(router, "\(prefix)/update", updateEndUser)
            post(router, "\(prefix)/delete", deleteEndUsers)
            get(router, "\(prefix)/info", endUserInfo)
        }
        get(router, "/spend/logs", spendLogs)
        get(router, "/global/spend/report", spendReport)
        get(router, "/global/spend/models", modelSpend)
    }

    private func post(_ router: Router<GatewayRequestContext>, _ path: String, _ handler: @escaping Handler) {
        router.post(RouterPath(path)) { request, context in
            try respond(await handler(try await managementBody(request, context), context))
        }
    }

    /// GET routes read their fields from the query string.
    private func get(_ router: Router<GatewayRequestContext>, _ path: String, _ handler: @escaping Handler, selfService: Bool = false) {
        router.get(RouterPath(path)) { request, context in
            if !selfService { try requireAdmin(context) }
            try requireStore()
            var object = JSONObject()
            for (name, value) in request.uri.queryParameters { object[String(name)] = .string(String(value)) }
            return try respond(await handler(ManagementBody(object: object), context))
        }
    }

    private func managementBody(_ request: Request, _ context: GatewayRequestContext) async throws -> ManagementBody {
        try requireAdmin(context)
        try requireStore()
        let buffer = try await RequestPath.readBody(request, limit: maxBodySize)
        guard buffer.readableBytes > 0 else { return ManagementBody(object: JSONObject()) }
        let parsed: JSONValue
        do {
            parsed = try buffer.withUnsafeReadableBytes { raw in
                Result { () throws(JSONParseError) in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }
            }.get()
        } catch {
            throw GatewayError(.invalidJSON, status: 400, message: "We could not parse the JSON body of your request: \(error)")
        }
        guard case .object(let object) = parsed else {
            throw GatewayError(.invalidRequest, status: 400, message: "The request body must be a JSON object.")
        }
        return ManagementBody(object: object)
    }

    func requireAdmin(_ context: GatewayRequestContext) throws(GatewayError) {
        switch context.principal.kind {
        case .open:
            throw GatewayError(
                .forbidden, status: 403, message: "The management API needs server.master_key (general_settings.master_key) to be set.",
                type: "permission_error")
        case .master: return
        case .virtualKey:
            guard context.principal.isAdmin else {
                throw GatewayError(
                    .forbidden, status: 403, message: "Only the master key or a proxy_admin user's key may call the management API.",
                    type: "permission_error")
            }
        }
    }

    func requireStore() throws(GatewayError) {
        guard keys.store != nil else {
            throw GatewayError(
                .serviceUnavailable, status: 503, message: "No database is configured (database.url); keys and spend need one.")
        }
    }

    var store: any GatewayStore { keys.store! }

    private func respond(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value))))
    }

    /// Runs a store call, turning its failures into answers by their code.
    func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            switch error.code {
            case .unavailable:
                throw GatewayError(.serviceUnavailable, status: 503, message: "The database is unavailable; try again shortly.")
            case .conflict:
                throw GatewayError(.invalidRequest, status: 400, message: "A record with that id or alias exists already.")
            case .notFound:
                throw GatewayError(.notFound, status: 404, message: error.message)
            default:
                throw GatewayError(.invalidRequest, status: 400, message: error.message)
            }
        }
    }

    static func notFound(_ what: String) -> GatewayError {
        GatewayError(.notFound, status: 404, message: "\(what) not found.")
    }
}
