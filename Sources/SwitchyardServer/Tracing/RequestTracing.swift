import Hummingbird
import Tracing

/// Tracing as `serve` set it up: the tracer the exporter service feeds, and whether message
/// content goes on upstream spans. Absent (nil where it is held) when tracing is off, so a
/// request then pays one nil check.
public struct RequestTracing: Sendable {
    let tracer: any Tracer
    let captureContent: Bool

    init(tracer: any Tracer, captureContent: Bool) {
        self.tracer = tracer
        self.captureContent = captureContent
    }

    /// Starts a request's server span, as a child of the client's `traceparent` when it sent one.
    func begin(_ request: Request, requestID: String) -> RequestTrace {
        var parent = ServiceContext.topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let route = request.uri.path
        let span = tracer.startSpan("\(request.method.rawValue) \(route)", context: parent, ofKind: .server)
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["http.route"] = route
        span.attributes["switchyard.request.id"] = requestID
        return RequestTrace(tracing: self, span: span)
    }
}
