import Hummingbird
import NIOCore
import SwitchyardCore

/// `POST /admin/reload`: recompiles the configuration file and swaps it in (master key or a
/// `proxy_admin` key). 200 with the new file's warnings, or 400 with its errors as
/// `file:line:column: message` — and then the running configuration stays.
struct AdminController {
    let reloader: ConfigReloader
    let management: ManagementController

    func register(with router: Router<GatewayRequestContext>) {
        router.post("/admin/reload") { _, context -> Response in
            try management.requireAdmin(context)
            switch reloader.reload(trigger: "admin") {
            case .reloaded(let warnings):
                return Self.json(.ok, [
                    "status": "reloaded", "models": .number(reloader.live.program.modelNames.count),
                    "warnings": .array(warnings.map { .string($0.description) }),
                ])
            case .failed(let errors):
                let message = "The configuration was not reloaded; the running one stays.\n" + errors.map(\.description).joined(separator: "\n")
                return Self.json(.badRequest, [
                    "error": ["message": .string(message), "type": "invalid_request_error", "param": nil, "code": "config_invalid"],
                    "errors": .array(errors.map { .string($0.description) }),
                ])
            }
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value))))
    }
}
