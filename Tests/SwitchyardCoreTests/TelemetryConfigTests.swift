import SwitchyardCore
import Testing

/// `telemetry:`: where traces go, read with every bad value reported at its line and column.
struct TelemetryConfigTests {
    static let models = "models:\n  m: {provider: p}\nproviders:\n  p: {kind: mock}\n"

    static func errors(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader.load(yaml: Self.models + yaml, file: "t.yaml", environment: environment)
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test func settingsAreReadWithDefaults() throws {
        let none = try ConfigLoader.load(yaml: Self.models, file: "t.yaml", environment: [:])
        #expect(none.telemetry.otlpEndpoint == nil)
        #expect(none.telemetry.serviceName == "switchyard")
        #expect(none.telemetry.sampleRatio == 1)
        #expect(none.telemetry.captureContent == false)

        let yaml = """
            telemetry:
              otlp_endpoint: http://collector:4318/
              service_name: gateway-eu
              sample_ratio: 0.25
              headers: {x-honeycomb-team: "${HC_KEY}", x-scope: prod}
              capture_content: true

            """
        let config = try ConfigLoader.load(yaml: Self.models + yaml, file: "t.yaml", environment: ["HC_KEY": "hc-secret"])
        #expect(config.telemetry.otlpEndpoint == "http://collector:4318", "a trailing slash is dropped: /v1/traces is appended")
        #expect(config.telemetry.serviceName == "gateway-eu")
        #expect(config.telemetry.sampleRatio == 0.25)
        #expect(config.telemetry.headers.map(\.name) == ["x-honeycomb-team", "x-scope"])
        #expect(config.telemetry.headers.map(\.value) == ["hc-secret", "prod"])
        #expect(config.telemetry.captureContent)
        let program = try GatewayProgram(config: config)
        #expect(program.telemetry.otlpEndpoint == "http://collector:4318")
    }

    @Test func badValuesAreReportedAtTheirLineAndColumn() {
        // The models and providers take lines 1–4.
        #expect(Self.errors("telemetry:\n  otlp_endpoint: collector:4318\n") == [
            "t.yaml:6:18: error: telemetry.otlp_endpoint: 'collector:4318' is not an http:// or https:// URL"
        ])
        #expect(Self.errors("telemetry:\n  sample_ratio: 1.5\n") == [
            "t.yaml:6:17: error: telemetry.sample_ratio: must be between 0 and 1, found 1.5"
        ])
        #expect(Self.errors("telemetry:\n  sample_ratio: half\n") == [
            "t.yaml:6:17: error: telemetry.sample_ratio: expected a number, found 'half'"
        ])
        #expect(Self.errors("telemetry:\n  capture_content: sometimes\n") == [
            "t.yaml:6:20: error: telemetry.capture_content: expected true or false, found 'sometimes'"
        ])
        #expect(Self.errors("telemetry:\n  service_name: \"\"\n") == [
            "t.yaml:6:17: error: telemetry.service_name: must not be empty"
        ])
        #expect(Self.errors("telemetry:\n  headers: {\"bad header\": x}\n") == [
            "t.yaml:6:13: error: telemetry.headers.bad header: 'bad header' is not a valid HTTP header name"
        ])
        #expect(Self.errors("telemetry:\n  headers: {x-key: \"${UNSET_KEY}\"}\n") == [
            "t.yaml:6:20: error: telemetry.headers.x-key: environment variable 'UNSET_KEY' is not set"
        ])
        #expect(Self.errors("telemetry: [a]\n") == ["t.yaml:5:12: error: telemetry: expected a mapping, found a list"])
        let unknown = Self.errors("telemetry:\n  otlp_endpont: http://c:4318\n")
        #expect(unknown.count == 1)
        #expect(unknown.first?.hasPrefix("t.yaml:6:3: error: telemetry.otlp_endpont: unknown key 'otlp_endpont'") == true)
    }
}
