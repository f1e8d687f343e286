import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import SwitchyardCore
import SwitchyardProviders
import SwitchyardStore

/// The one path every API request takes: body read with its limit, the caller (authenticated by
/// `GatewayMiddleware`) admitted for the model, per-request overrides, LiteLLM field stripping,
/// the program, metrics, `x-switchyard-*` / `x-litellm-*` headers and spend. Endpoints differ only
/// in their `ChatWireFormat`.
struct RequestPath: Sendable {
    let program: GatewayProgram
    let providers: ProviderSet
    let metrics: GatewayMetrics
    let keys: KeyServices
    /// Set once a drain started: upstream calls cancelled by its end answer 503.
    let drain: DrainState
    /// Request fields LiteLLM reads itself, never sent upstream.
    let stripped: Set<String>
    /// Request spans (nil: tracing is off).
    let tracing: RequestTracing?

    init(
        program: GatewayProgram, providers: ProviderSet, metrics: GatewayMetrics, keys: KeyServices, drain: DrainState,
        tracing: RequestTracing? = nil
    ) {
        self.program = program
        self.providers = providers
        self.metrics = metrics
        self.keys = keys
        self.drain = drain
        self.tracing = tracing
        self.stripped = LiteLLMCompatibility.strippedFields(for: program.format)
    }

    /// Runs a chat-shaped request (chat completions, Anthropic messages) end to end.
    func chat(_ request: Request, context: GatewayRequestContext, format: some ChatWireFormat) async -> Response {
        let started = ContinuousClock.now
        let startTime = WallClock.now()
        let trace = tracing?.begin(request, requestID: context.requestID)
        var chat: ChatRequest
        let admission: Admission
        do {
            chat = try await format.chatRequest(from: try await readBody(request))
            admission = try await keys.admit(context.principal, model: chat.requestedModel, endUser: chat.user)
            if admission.model != chat.requestedModel { chat = try chat.renamingModel(to: admission.model) }
        } catch {
            return rejected(error, context: context, format: format, trace: trace)
        }
        // Streams are charged (and their spans' usage read) from the upstream's usage chunk: ask
        // for it, and drop it again when the client did not.
        let addedUsage = chat.stream && (keys.ledger != nil || trace != nil) && !chat.asksForStreamUsage
        if addedUsage { chat.requestStreamUsage() }

        let headerFields = request.headers
        var call = CallContext(
            requestID: context.requestID, logger: context.logger,
            headers: RequestHeaders { name in HTTPField.Name(name).flatMap { headerFields[$0] } },
            keyAlias: context.principal.keyAlias)
        if let entry = context.principal.entry {
            call.caller = Caller(team: entry.key.teamID, keyMetadata: entry.key.metadata)
        }
        call.overrides = RequestOverrides(request: chat)
        call.stages = trace
        let upstreamClock = UpstreamClock()
        let upstream = TracedUpstream(base: LiteLLMUpstream(base: providers, stripped: stripped, clock: upstreamClock), trace: trace)
        // Until the answer starts, a client that goes away cancels the upstream call at once;
        // once a stream is relayed, the failing write does.
        let result = await whileClientConnected(context.channel) {
            await program.execute(chat, context: call, upstream: upstream)
        }
        let answered = ContinuousClock.now
        let upstreamTime = upstreamClock.elapsed
        metrics.answered(result, model: chat.requestedModel, stream: chat.stream, upstream: upstreamTime, elapsed: answered - started)

        var headers = Self.traceHeaders(result)
        headers.append(contentsOf: LiteLLMCompatibility.headers(
            result, program: program, requestedModel: chat.requestedModel, requestID: context.requestID,
            total: answered - started, upstream: upstreamTime))
        var accounting = Accounting(
            self, context: context, admission: admission, callType: format.callType, requestedModel: chat.requestedModel,
            result: result, stream: result.isStream, startTime: startTime)
        accounting.upstream = (upstreamTime, answered)
        accounting.trace = trace
        switch result.outcome {
        case .failure(let error):
            accounting.finish(usage: nil, status: error.status, errorType: error.code.description)
            return errorResponse(error, format: format, headers: headers)
        case .success(.complete(let body)):
            // The answer is parsed once: to read its usage, and to refuse one that is not JSON
            // (an upstream's garbage is never passed on as a 200).
            guard let parsed = try? body.withUnsafeReadableBytes({ raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }),
                parsed.objectValue != nil
            else {
                let error = GatewayError(
                    .upstreamInvalidResponse, status: 502,
                    message: "upstream provider '\(result.target?.providerName ?? "unknown")' sent a response that is not a JSON object")
                accounting.finish(usage: nil, status: error.status, errorType: error.code.description)
                return errorResponse(error, format: format, headers: headers)
            }
            accounting.finish(usage: TokenUsage(answer: parsed), status: 200)
            do {
                let answer = try await format.answer(body, model: chat.requestedModel)
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: answer))
            } catch {
                return errorResponse(error, format: format, headers: headers)
            }
        case .success(.stream(let stream)):
            let ending = StreamEnding(accounting)
            let metered = UsageMeter.meter(stream, dropUsageChunk: addedUsage) { usage, completed in
                ending.upstreamEnded(usage: usage, completed: completed)
            }
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: Self.relay(format.stream(metered, model: chat.requestedModel), logger: context.logger, ending: ending, drain: drain) {
                    format.streamErrorEvent($0)
                })
        }
    }

    /// Reads the body up to `server.max_body_size`: a `Content-Length` over it is refused before
    /// reading (413).
    func readBody(_ request: Request) async throws(GatewayError) -> ByteBuffer {
        try await Self.readBody(request, limit: program.settings.maxBodySize)
    }

    /// The one body reader of the front end (API and management routes).
    static func readBody(_ request: Request, limit: Int) async throws(GatewayError) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(limit)
        } catch {
            throw GatewayError(.invalidRequest, status: 400, message: "The request body could not be read.")
        }
    }

    static func tooLarge(_ limit: Int) -> GatewayError {
        GatewayError(.bodyTooLarge, status: 413, message: "The request body is larger than the limit of \(limit) bytes.")
    }

    /// `x-switchyard-target`, `-path`, `-arm`, `-attempts`.
    static func traceHeaders(_ result: ExecutionResult) -> HTTPFields {
        var headers = HTTPFields()
        headers.reserveCapacity(16)
        if let target = result.target { headers.append(HTTPField(name: .switchyardTarget, value: target.label)) }
        if !result.path.isEmpty { headers.append(HTTPField(name: .switchyardPath, value: result.path.joined(separator: ","))) }
        if let arm = result.arm { headers.append(HTTPField(name: .switchyardArm, value: arm)) }
        headers.append(HTTPField(name: .switchyardAttempts, value: String(result.attempts)))
        return headers
    }

    /// A request refused before the program ran (unreadable body, admission): its access-log
    /// line says why.
    private func rejected(_ error: any Error, context: GatewayRequestContext, format: some ChatWireFormat, trace: RequestTrace?) -> Response {
        let gatewayError = GatewayMiddleware.gatewayError(for: error)
        var summary = RequestSummary.ended(status: gatewayError.status, principal: context.principal, errorType: gatewayError.code.description)
        trace?.finish(&summary)
        if let log = context.accessLog {
            log.claim()
            log.write(summary)
        }
        return errorResponse(gatewayError, format: format, headers: [:])
    }

    func errorResponse(_ error: any Error, format: some ChatWireFormat, headers: HTTPFields) -> Response {
        var error = GatewayMiddleware.gatewayError(for: error)
        if drain.isDraining && error.isCancellation { error = Self.shuttingDown }
        var headers = headers
        headers[.contentType] = "application/json"
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers, body: ResponseBody(byteBuffer: format.errorBody(error)))
    }

    /// Forwards chunks as they arrive. When the client goes away the write throws, the upstream
    /// iterator is dropped and the upstream request is cancelled. When the upstream fails
    /// mid-stream, a deadline passes or a drain ends the stream, the client gets `errorEvent` (in
    /// its own API's format) and never a clean end. The request ends (`ending`) after the last
    /// byte is written.
    static func relay(
        _ stream: ByteStream, logger: Logger, ending: StreamEnding, drain: DrainState,
        errorEvent: @escaping @Sendable (GatewayError) -> ByteBuffer
    ) -> ResponseBody {
        ResponseBody { writer in
            var iterator = stream.makeAsyncIterator()
            var outcome = StreamEnding.Outcome.completed
            do {
                while true {
                    let chunk: ByteBuffer?
                    do {
                        chunk = try await iterator.next()
                    } catch {
                        let failure = streamFailure(error, draining: drain.isDraining)
                        logger.warning("upstream stream ended early", metadata: ["error.type": .string(failure.code.description)])
                        outcome = .failed(failure)
                        try await writer.write(errorEvent(failure))
                        break
                    }
                    guard let chunk else { break }
                    try await writer.write(chunk)
                }
                try await writer.finish(nil)
            } catch {
                ending.finish(.clientGone)
                throw error
            }
            ending.finish(outcome)
        }
    }

    /// Why a stream ended early, by the error's type: the upstream's own classification, a
    /// drain's end, or a broken stream.
    static func streamFailure(_ error: any Error, draining: Bool) -> GatewayError {
        switch error {
        case let error as GatewayError where !(draining && error.isCancellation): error
        case is GatewayError, is CancellationError: shuttingDown
        default: GatewayError(.upstreamError, status: 502, message: "The upstream stream failed before it was complete.")
        }
    }

    static let shuttingDown = GatewayError(
        .serviceUnavailable, status: 503, message: "The gateway is shutting down; the request was ended before it was complete.")
}

extension ExecutionResult {
    /// Whether the answer is a stream (a stream request that failed before its first byte is
    /// answered with a JSON error).
    var isStream: Bool {
        if case .success(.stream) = outcome { true } else { false }
    }
}
