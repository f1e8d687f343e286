import HTTPTypes
import Tracing

/// Reads `traceparent` / `tracestate` from a client request's headers.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

/// Collects the headers a tracer writes for a call it propagates to (the upstream's request).
struct HeaderListInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [(name: String, value: String)]) {
        carrier.append((key, value))
    }
}
