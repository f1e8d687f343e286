import Yams

extension GatewayConfig {
    static let telemetryKeys = ["otlp_endpoint", "service_name", "sample_ratio", "headers", "capture_content"]

    /// `telemetry:` settings; every bad value is reported at its line and column.
    static func readTelemetry(_ node: Node, reader: YAMLReader) -> TelemetrySettings {
        var settings = TelemetrySettings()
        guard let entries = reader.mapping(node, "telemetry") else { return settings }
        reader.checkKeys(entries, allowed: telemetryKeys, "telemetry")
        for entry in entries {
            let path = join("telemetry", entry.key)
            switch entry.key {
            case "otlp_endpoint":
                settings.otlpEndpoint = reader.string(entry.value, path).flatMap { checkURL($0, entry.value, path, reader: reader) }
            case "service_name":
                guard let name = reader.string(entry.value, path) else { continue }
                if name.isEmpty { reader.error(entry.value, path, "must not be empty") } else { settings.serviceName = name }
            case "sample_ratio":
                guard let ratio = reader.double(entry.value, path) else { continue }
                if (0...1).contains(ratio) { settings.sampleRatio = ratio } else { reader.error(entry.value, path, "must be between 0 and 1, found \(ratio)") }
            case "headers":
                guard let headers = reader.mapping(entry.value, path) else { continue }
                for header in headers {
                    let headerPath = join(path, header.key)
                    guard let value = reader.string(header.value, headerPath) else { continue }
                    guard Self.isToken(header.key) else {
                        reader.error(header.keyNode, headerPath, "'\(header.key)' is not a valid HTTP header name")
                        continue
                    }
                    settings.headers.append((header.key, value))
                }
            case "capture_content": settings.captureContent = reader.bool(entry.value, path) ?? settings.captureContent
            default: break
            }
        }
        return settings
    }

    /// An HTTP token (RFC 9110): what a header name may be.
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
