import Synchronization
import SwitchyardCore
import Tracing

/// One request's spans: the server span, and the stage spans (scrub, retry attempt, fallback hop)
/// open below it. Stages nest strictly (one request runs one stage at a time), so the open ones
/// are a stack and the innermost is the parent of the next span, upstream calls included.
final class RequestTrace: StageObserver {
    let tracing: RequestTracing
    private let span: any Span
    private let open = Mutex<[any Span]>([])
    private let ended = Atomic<Bool>(false)
    /// The trace id (32 hex digits) as propagated, for the access line.
    let traceID: String?

    init(tracing: RequestTracing, span: any Span) {
        self.tracing = tracing
        self.span = span
        var headers: [(name: String, value: String)] = []
        tracing.tracer.inject(span.context, into: &headers, using: HeaderListInjector())
        // traceparent: version-traceid-parentid-flags
        let fields = headers.first(where: { $0.name == "traceparent" })?.value.split(separator: "-") ?? []
        traceID = fields.count == 4 ? String(fields[1]) : nil
    }

    /// Where the next span hangs: the innermost open stage, else the server span.
    var parent: ServiceContext {
        open.withLock { $0.last?.context } ?? span.context
    }

    func began(_ stage: ObservedStage) {
        let name: String
        var attributes = SpanAttributes()
        switch stage {
        case .scrub(let scrubber):
            name = "scrub \(scrubber)"
            attributes["switchyard.scrubber"] = scrubber
        case .retryAttempt(let number, let of):
            name = "retry attempt \(number)"
            attributes["switchyard.retry.attempt"] = number
            attributes["switchyard.retry.max_attempts"] = of
        case .fallbackHop(let hop, let model):
            name = model.map { "fallback \($0)" } ?? "fallback primary"
            attributes["switchyard.fallback.hop"] = hop
            if let model { attributes["switchyard.fallback.model"] = model }
        }
        let child = tracing.tracer.startSpan(name, context: parent, ofKind: .internal)
        child.attributes.merge(attributes)
        open.withLock { $0.append(child) }
    }

    func ended(_ error: GatewayError?, replacements: Int) {
        guard let child = open.withLock({ $0.popLast() }) else { return }
        if replacements > 0 { child.attributes["switchyard.scrub.replacements"] = replacements }
        if let error { Self.fail(child, errorType: error.code.description) }
        child.end()
    }

    /// Ends the server span (once) with the request's outcome, what its access line says, and
    /// puts the trace id on that line.
    func finish(_ summary: inout RequestSummary) {
        summary.traceID = traceID
        guard !ended.exchange(true, ordering: .relaxed) else { return }
        span.attributes["http.response.status_code"] = summary.status
        if let model = summary.model { span.attributes["gen_ai.request.model"] = model }
        if let target = summary.target { span.attributes["switchyard.target"] = target }
        if !summary.path.isEmpty { span.attributes["switchyard.pipeline.path"] = summary.path.joined(separator: ",") }
        if let arm = summary.arm { span.attributes["switchyard.pipeline.arm"] = arm }
        if let attempts = summary.attempts { span.attributes["switchyard.upstream.attempts"] = attempts }
        if let tokens = summary.tokens {
            span.attributes["gen_ai.usage.input_tokens"] = tokens.prompt
            span.attributes["gen_ai.usage.output_tokens"] = tokens.completion
        }
        if summary.stream { span.attributes["switchyard.stream"] = true }
        if let errorType = summary.errorType { Self.fail(span, errorType: errorType) }
        span.end()
    }

    /// Marks a span failed: `error.type` and an error status (no message: it may quote the request).
    static func fail(_ span: any Span, errorType: String) {
        span.attributes["error.type"] = errorType
        span.setStatus(SpanStatus(code: .error))
    }

    deinit {
        // A request abandoned before its end was reported (its task cancelled).
        if !ended.load(ordering: .relaxed) { span.end() }
    }
}
