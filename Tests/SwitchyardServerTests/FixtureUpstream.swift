import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization

/// A fake provider of any format: a real Hummingbird server on port 0 that records every request
/// (path, query, headers, body) and answers with `respond`. Used for Anthropic, Azure and the
/// OpenAI-compatible family, whose fixtures come from the providers' public API references.
final class FixtureUpstream: Sendable {
    struct Received: Sendable {
        var path: String
        var query: String
        var headers: HTTPFields
        var body: [UInt8]
        /// The `Host` header (HTTPTypes keeps it apart, as the request's authority).
        var authority: String?
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        func header(_ name: String) -> String? { name == "host" ? authority : HTTPField.Name(name).flatMap { headers[$0] } }
    }

    typealias Responder = @Sendable (_ received: Received) async throws -> Response

    private let log = Mutex<[Received]>([])
    private let respond: Responder
    init(_ respond: @escaping Responder) {
        self.respond = respond
    }

    var received: [Received] { log.withLock { $0 } }

    func run<T: Sendable>(_ body: @Sendable (_ port: Int) async throws -> T) async throws -> T {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let bytes = try await request.body.collect(upTo: 16 * 1024 * 1024)
            let received = Received(path: request.uri.path, query: request.uri.query ?? "", headers: request.headers, body: Array(bytes.readableBytesView), authority: request.head.authority)
            self.log.withLock { $0.append(received) }
            return try await self.respond(received)
        }
        router.post("**", use: handler)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: Logger(label: "fixture-upstream"))
        return try await app.test(.live) { client in try await body(client.port!) }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func sse(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
