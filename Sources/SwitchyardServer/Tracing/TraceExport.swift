public import Logging
import OTel
public import ServiceLifecycle
public import SwitchyardCore

/// Sets up trace export for `serve`: swift-otel's tracer, batch span processor and OTLP/HTTP
/// exporter, returned as one `Service` that flushes what is queued when the group shuts it down.
/// The process-global `InstrumentationSystem` is left alone: only the request path's own spans
/// are made (the upstream HTTP client and the exporter's own calls are not traced).
public enum TraceExport {
    /// Whether, and how, traces are exported.
    ///
    /// On when `telemetry.otlp_endpoint`, `OTEL_EXPORTER_OTLP_ENDPOINT` or
    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, unless `OTEL_SDK_DISABLED=true` or
    /// `OTEL_TRACES_EXPORTER=none`. The `OTEL_*` variables override the file's settings.
    /// - Returns: nil when tracing is off.
    public static func make(
        _ settings: TelemetrySettings, environment: [String: String], logger: Logger
    ) throws -> (tracing: RequestTracing, service: any Service)? {
        guard isEnabled(settings, environment: environment) else { return nil }
        // swift-otel stops the process on a protocol it was built without (gRPC): refuse to start instead.
        let chosen = environment["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] ?? environment["OTEL_EXPORTER_OTLP_PROTOCOL"]
        if let chosen, chosen != "http/protobuf", chosen != "http/json" { throw UnsupportedProtocol(name: chosen) }
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.serviceName
        configuration.diagnosticLogger = .custom(logger)
        // At info and warning swift-otel logs each OTEL_* value it applies, export headers (API
        // keys) included; OTEL_LOG_LEVEL lowers this on purpose.
        configuration.diagnosticLogLevel = .error
        configuration.propagators = [.traceContext]
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        // The ratio was checked to lie in 0…1 when the file was read.
        configuration.traces.sampler = .parentBasedTraceIDRatio(ratio: settings.sampleRatio) ?? .parentBasedAlwaysOn
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.headers = settings.headers.map { ($0.name, $0.value) }
        if let endpoint = settings.otlpEndpoint { configuration.traces.otlpExporter.endpoint = endpoint + "/v1/traces" }
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        let content = environment["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"].map { $0.lowercased() == "true" } ?? settings.captureContent
        return (RequestTracing(tracer: backend.factory, captureContent: content), backend.service)
    }

    /// `OTEL_EXPORTER_OTLP_PROTOCOL` names a protocol this build does not have.
    public struct UnsupportedProtocol: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "OTLP protocol '\(name)' is not supported: use http/protobuf" }
    }

    static func isEnabled(_ settings: TelemetrySettings, environment: [String: String]) -> Bool {
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return false }
        if environment["OTEL_TRACES_EXPORTER"]?.lowercased() == "none" { return false }
        return settings.otlpEndpoint != nil || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil
            || environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil
    }
}
