import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing

@Suite("metrics at /metrics")
struct MetricsTests {
    static let yaml = """
        server: {access_log: false, master_key: sk-metrics-key}
        providers: {local: {kind: mock}}
        models:
          echo: {provider: local}
        scrubbers:
          pii: {detect: [email], action: redact}
        pipelines:
          main:
            - scrub: pii
            - match:
                - when: {model: echo}
                  goto: ab
                - else: route-requested
          ab:
            - split:
                by: user
                arms:
                  - {name: control, weight: 50, route: echo}
                  - {name: treatment, weight: 50, route: echo}
        """

    @Test func requestsArmsAndDetectionsAreCountedWithoutValues() async throws {
        let registry = PrometheusCollectorRegistry()
        try await GatewayHarness.withGateway(yaml: Self.yaml, metrics: registry) { client in
            let auth: HTTPFields = [.authorization: "Bearer sk-metrics-key"]
            for i in 0..<6 {
                let body = #"{"model":"echo","user":"u-\#(i)","messages":[{"role":"user","content":"mail jane\#(i)@example.com"}]}"#
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: auth, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .ok)
                }
            }
            try await client.execute(uri: "/v1/chat/completions", method: .post, headers: auth, body: ByteBuffer(string: #"{"model":"secret-name-1","messages":[{"role":"user","content":"x"}]}"#)) { response in
                #expect(response.status == .notFound)
            }
            // Scrapers need no key.
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"switchyard_requests_total{model="echo",status="200"} 6"#))
                #expect(text.contains(#"switchyard_requests_total{model="unknown",status="404"} 1"#))
                #expect(text.contains(#"switchyard_scrub_detections_total{scrubber="pii",detector="email"} 6"#))
                let arms = text.split(separator: "\n").filter { $0.hasPrefix("switchyard_split_assignments_total{") }
                let total = arms.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +)
                #expect(total == 6)
                #expect(arms.allSatisfy { $0.contains(#"arm="control""#) || $0.contains(#"arm="treatment""#) })
                #expect(text.contains("switchyard_request_duration_seconds"))
                #expect(!text.contains("example.com"))
                #expect(!text.contains("secret-name-1"))
                #expect(!text.contains("sk-metrics-key"))
            }
        }
    }
}
