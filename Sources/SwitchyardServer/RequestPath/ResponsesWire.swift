import Logging
import NIOCore
import Synchronization
import SwitchyardCore
import SwitchyardProviders

/// `POST /v1/responses`: OpenAI's Responses API, translated to and from chat completions (so
/// every upstream kind and every pipeline feature applies), with its conversation state in the
/// `ResponseArchive`. One value per request: it remembers the parsed request between reading
/// the body and writing the answer.
final class ResponsesWire: ChatWireFormat {
    let archive: ResponseArchive
    /// The caller's `Principal.responseScope`.
    let scope: String
    let logger: Logger
    private let call = Mutex<Call?>(nil)
    private let progress = ResponseStreamProgress()

    /// What the body said, once read.
    private struct Call: Sendable {
        let request: ResponsesRequest
        let envelope: ResponseEnvelope
        /// Every input item of the conversation so far (earlier turns, then this request's).
        let input: [JSONValue]
    }

    init(archive: ResponseArchive, scope: String, logger: Logger) {
        self.archive = archive
        self.scope = scope
        self.logger = logger
    }

    var callType: String { "responses" }

    func chatRequest(from body: ByteBuffer) async throws(GatewayError) -> ChatRequest {
        let request = try ResponsesRequest(body: body)
        var earlier: [JSONValue] = []
        if let previous = request.previousResponseID { earlier = try await archive.conversation(after: previous, scope: scope) }
        let chat = try ResponsesFormat.chatRequest(request, earlier: earlier)
        let started = Call(request: request, envelope: ResponseEnvelope(request: request.object, model: request.model), input: earlier + request.input)
        call.withLock { $0 = started }
        return chat
    }

    func answer(_ completion: ByteBuffer, model: String) async throws(GatewayError) -> ByteBuffer {
        let call = try started()
        let response = try ResponsesFormat.response(fromCompletion: completion, envelope: call.envelope)
        if call.request.store { await save(response, call) }
        return ByteBuffer(bytes: JSONWriter.bytes(response))
    }

    func stream(_ stream: ByteStream, model: String) -> ByteStream {
        guard let call = try? started() else { return stream }
        let translated = ResponsesFormat.stream(stream, envelope: call.envelope, progress: progress)
        guard call.request.store else { return translated }
        // Stored before the chunk holding `response.completed` is sent: a client that follows up
        // at once finds it.
        return ByteStream(StoringSequence(base: translated, progress: progress) { response in await self.save(response, call) })
    }

    func streamErrorEvent(_ error: GatewayError) -> ByteBuffer {
        guard let call = try? started() else { return ByteBuffer() }
        return ResponsesFormat.streamErrorEvent(message: error.message, envelope: call.envelope, progress: progress)
    }

    func errorBody(_ error: GatewayError) -> ByteBuffer { ByteBuffer(bytes: error.body) }

    private func started() throws(GatewayError) -> Call {
        guard let call = call.withLock({ $0 }) else { throw GatewayError(.internalError, status: 500, message: "Internal error.") }
        return call
    }

    private func save(_ response: JSONValue, _ call: Call) async {
        await archive.save(id: call.envelope.id, scope: scope, model: call.request.model, input: call.input, response: response, logger: logger)
    }
}

/// A Responses stream that stores the final Response object as soon as the translator produced
/// it, before passing on the chunk that carries it.
private struct StoringSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let progress: ResponseStreamProgress
    let store: @Sendable (JSONValue) async -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.AsyncIterator
        let progress: ResponseStreamProgress
        let store: @Sendable (JSONValue) async -> Void

        mutating func next() async throws -> ByteBuffer? {
            let chunk = try await base.next()
            if let final = progress.takeFinal() { await store(final) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), progress: progress, store: store)
    }
}
