/// The trace context headers (`traceparent`, `tracestate`) of the upstream call running in this
/// task: set by the server's tracing around each call, added by `UpstreamCall.post`. Empty when
/// tracing is off.
public enum UpstreamTraceHeaders {
    @TaskLocal public static var current: [(name: String, value: String)] = []
}
