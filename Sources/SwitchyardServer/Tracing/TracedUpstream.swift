import SwitchyardCore
import SwitchyardProviders
import Tracing

/// Wraps the upstream adapter: each call gets a client span named `{operation} {model}` with the
/// OpenTelemetry GenAI attributes, and its context goes upstream as `traceparent`. A streamed
/// answer's span ends with the stream. Without a trace it only forwards.
struct TracedUpstream<Base: ProviderAdapter>: ProviderAdapter {
    let base: Base
    let trace: RequestTrace?

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        guard let trace else { return try await base.chat(request, target: target, context: context) }
        let tracing = trace.tracing
        let span = tracing.tracer.startSpan("\(GenAISpan.operation) \(target.model)", context: trace.parent, ofKind: .client)
        GenAISpan.describe(request, target: target, on: span, content: tracing.captureContent)
        var headers: [(name: String, value: String)] = []
        tracing.tracer.inject(span.context, into: &headers, using: HeaderListInjector())
        let reply: UpstreamReply
        do {
            reply = try await UpstreamTraceHeaders.$current.withValue(headers) {
                try await base.chat(request, target: target, context: context)
            }
        } catch {
            let error = GatewayMiddleware.gatewayError(for: error)
            RequestTrace.fail(span, errorType: error.code.description)
            span.end()
            throw error
        }
        switch reply {
        case .complete(let body):
            GenAISpan.answered(body, on: span, content: tracing.captureContent)
            span.end()
            return reply
        case .stream(let stream):
            return .stream(GenAIStreamObserver.observe(stream, span: span, content: tracing.captureContent))
        }
    }
}
