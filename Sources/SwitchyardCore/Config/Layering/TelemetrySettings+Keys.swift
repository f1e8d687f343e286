import Foundation
import Yams

extension TelemetrySettings {
    /// The `telemetry:` keys: the one table the file, `SWITCHYARD_TELEMETRY_*`, `--set telemetry.*`
    /// and `config show` read. (The standard `OTEL_*` variables are applied after all of these,
    /// by the exporter when the server starts.)
    static let keys: [SettingKey<TelemetrySettings>] = [
        SettingKey("otlp_endpoint", read: { s, node, path, reader in
            if let url = reader.string(node, path).flatMap({ GatewayConfig.checkURL($0, node, path, reader: reader) }) { s.otlpEndpoint = url }
        }, show: { $0.otlpEndpoint }),
        SettingKey("service_name", read: { s, node, path, reader in
            guard let name = reader.string(node, path) else { return }
            if name.isEmpty { reader.error(node, path, "must not be empty") } else { s.serviceName = name }
        }, show: { $0.serviceName }),
        SettingKey("sample_ratio", read: { s, node, path, reader in
            guard let ratio = reader.double(node, path) else { return }
            if (0...1).contains(ratio) { s.sampleRatio = ratio } else { reader.error(node, path, "must be between 0 and 1, found \(ratio)") }
        }, show: { String($0.sampleRatio) }),
        SettingKey("headers", read: { s, node, path, reader in TelemetrySettings.readHeaders(&s, node, path, reader) },
            show: { $0.headers.isEmpty ? nil : $0.headers.map { "\($0.name)=\(Redaction.placeholder)" }.joined(separator: ",") }),
        .bool("capture_content", \.captureContent),
    ]

    /// A mapping of header names to values in the file; `name=value,name=value` (as in
    /// `OTEL_EXPORTER_OTLP_HEADERS`) from a variable or a flag. The values may be secrets:
    /// `config show` prints the names only.
    fileprivate static func readHeaders(_ settings: inout TelemetrySettings, _ node: Node, _ path: String, _ reader: YAMLReader) {
        var headers: [(name: String, value: String)] = []
        if case .scalar = node {
            guard let text = reader.string(node, path) else { return }
            for pair in text.split(separator: ",", omittingEmptySubsequences: true) {
                guard let equals = pair.firstIndex(of: "=") else {
                    reader.error(node, path, "expected name=value pairs separated by commas")
                    return
                }
                let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
                guard isToken(name) else {
                    reader.error(node, path, "'\(name)' is not a valid HTTP header name")
                    return
                }
                headers.append((name, pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
            }
        } else {
            guard let entries = reader.mapping(node, path) else { return }
            for entry in entries {
                let headerPath = join(path, entry.key)
                guard let value = reader.string(entry.value, headerPath) else { continue }
                guard isToken(entry.key) else {
                    reader.error(entry.keyNode, headerPath, "'\(entry.key)' is not a valid HTTP header name")
                    continue
                }
                headers.append((entry.key, value))
            }
        }
        settings.headers = headers
    }

    /// An HTTP token (RFC 9110): what a header name may be.
    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
