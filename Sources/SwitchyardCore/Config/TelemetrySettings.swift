/// `telemetry:` — OpenTelemetry traces, exported over OTLP/HTTP (protobuf).
///
/// Keys: `otlp_endpoint` (the collector's base URL; spans are posted to `<endpoint>/v1/traces`),
/// `service_name`, `sample_ratio` (0…1: the share of new traces kept; a client's `traceparent`
/// decides for its own request),
/// `headers` (sent with every export, e.g. a vendor's API key) and `capture_content` (message
/// content on the upstream span, after scrubbing; off by default). The standard `OTEL_*`
/// environment variables override these when the server starts.
public struct TelemetrySettings: Sendable {
    /// nil: no traces, unless `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set.
    public var otlpEndpoint: String?
    public var serviceName = "switchyard"
    public var sampleRatio = 1.0
    /// Export request headers, in file order. Values may be secrets: never logged or traced.
    public var headers: [(name: String, value: String)] = []
    /// Request messages and the answer's text on the upstream span (as sent upstream, i.e. after
    /// `scrub` stages replaced what they found).
    public var captureContent = false

    public init() {}
}
