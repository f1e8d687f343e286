import NIOCore
import SwitchyardCore
import SwitchyardProviders
import Tracing

extension RequestTrace {
    /// Runs an embeddings call under a client span named `embeddings {model}` (GenAI
    /// conventions), its context sent upstream as `traceparent`.
    func embeddings(target: Target, _ call: () async throws(GatewayError) -> ByteBuffer) async throws(GatewayError) -> ByteBuffer {
        let span = tracing.tracer.startSpan("embeddings \(target.model)", context: parent, ofKind: .client)
        span.attributes["gen_ai.operation.name"] = "embeddings"
        span.attributes["gen_ai.provider.name"] = GenAISpan.providerName(target.providerKind)
        span.attributes["gen_ai.request.model"] = target.model
        span.attributes["switchyard.provider"] = target.providerName
        var headers: [(name: String, value: String)] = []
        tracing.tracer.inject(span.context, into: &headers, using: HeaderListInjector())
        do {
            let answer = try await UpstreamTraceHeaders.$current.withValue(headers) { try await call() }
            GenAISpan.answered(answer, on: span, content: false)
            span.end()
            return answer
        } catch {
            let error = GatewayMiddleware.gatewayError(for: error)
            RequestTrace.fail(span, errorType: error.code.description)
            span.end()
            throw error
        }
    }
}
