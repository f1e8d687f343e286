import Hummingbird
import NIOCore
import SwitchyardCore
import SwitchyardStore

/// The Responses API: `POST /v1/responses` (through `RequestPath`, like chat), and the stored
/// responses of the calling key: `GET` and `DELETE /v1/responses/{id}`, `GET
/// /v1/responses/{id}/input_items`. Each request runs on the program live when it starts.
struct ResponsesRoutes {
    let live: LiveProgram
    let archive: ResponseArchive

    func register(with router: Router<GatewayRequestContext>) {
        for prefix in ["/v1/responses", "/responses"] {
            router.post(RouterPath(prefix)) { request, context in
                await live.path.chat(
                    request, context: context,
                    format: ResponsesWire(archive: archive, scope: context.principal.responseScope, logger: context.logger))
            }
            router.get(RouterPath(prefix + "/:id"), use: retrieve)
            router.delete(RouterPath(prefix + "/:id"), use: delete)
            router.get(RouterPath(prefix + "/:id/input_items"), use: inputItems)
        }
    }

    @Sendable func retrieve(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let stored = try await archive.response(try id(context), scope: context.principal.responseScope)
        return Self.json(ByteBuffer(string: stored.response))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try id(context)
        try await archive.delete(id, scope: context.principal.responseScope)
        return Self.json(ByteBuffer(bytes: JSONWriter.bytes(["id": .string(id), "object": "response", "deleted": true])))
    }

    /// The conversation's input items, newest first unless `order=asc`; `limit` (1–100, 20) and
    /// `after` (an item id) page through them, as in OpenAI's API.
    @Sendable func inputItems(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let id = try id(context)
        let stored = try await archive.response(id, scope: context.principal.responseScope)
        var items = InputItems.listed((try? JSONParser.parse(stored.input))?.arrayValue ?? [], responseID: id)
        let query = request.uri.queryParameters
        if query["order"].map(String.init) != "asc" { items.reverse() }
        if let after = query["after"].map(String.init), let index = items.firstIndex(where: { $0.objectValue?["id"]?.stringValue == after }) {
            items.removeSubrange(...index)
        }
        var limit = 20
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...100).contains(value) else {
                throw GatewayError.invalidRequest("'limit' must be an integer from 1 to 100", param: "limit")
            }
            limit = value
        }
        let page = Array(items.prefix(limit))
        let body: JSONValue = [
            "object": "list", "data": .array(page),
            "first_id": page.first?.objectValue?["id"] ?? nil, "last_id": page.last?.objectValue?["id"] ?? nil,
            "has_more": .bool(items.count > limit),
        ]
        return Self.json(ByteBuffer(bytes: JSONWriter.bytes(body)))
    }

    private func id(_ context: GatewayRequestContext) throws -> String {
        try context.parameters.require("id")
    }

    private static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }
}
