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

    /// One value of a scraped series, found by name and label pairs in any order.
    static func value(_ text: String, _ name: String, _ labels: [String]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") {
            let series = line.split(separator: " ")
            if labels.allSatisfy({ series[0].contains($0) }) { return series.last.flatMap { Double($0) } }
        }
        return nil
    }

    @Test func liteLLMNamesAndLabelsForRequestsLatencyTokensSpendAndDeployments() async throws {
        let upstream = FakeUpstream()
        let registry = PrometheusCollectorRegistry()
        try await upstream.run { port in
            let yaml = """
                server: {access_log: false, master_key: sk-metrics-key}
                providers:
                  fake: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-upstream-secret}
                models:
                  priced: {provider: fake, model: ok, input_cost_per_token: 0.5, output_cost_per_token: 1.5}
                  streamed: {provider: fake, model: echo-stream-2}
                  broken: {provider: fake, model: fail-500}
                """
            try await GatewayHarness.withGateway(yaml: yaml, metrics: registry) { client in
                let auth: HTTPFields = [.authorization: "Bearer sk-metrics-key", .contentType: "application/json"]
                for model in ["priced", "priced", "streamed", "broken"] {
                    let body = GatewayHarness.chatBody(model: model, stream: model == "streamed")
                    try await client.execute(uri: "/v1/chat/completions", method: .post, headers: auth, body: body) { _ in }
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let text = String(buffer: response.body)
                    #expect(Self.value(text, "litellm_proxy_total_requests_metric", [#"requested_model="priced""#, #"status_code="200""#]) == 2)
                    #expect(Self.value(text, "litellm_proxy_failed_requests_metric", [#"requested_model="broken""#, #"exception_status="500""#, #"exception_class="upstream_error""#]) == 1)
                    #expect(Self.value(text, "litellm_request_total_latency_metric_count", [#"model_group="priced""#, #"requested_model="priced""#]) == 2)
                    #expect(Self.value(text, "litellm_llm_api_latency_metric_count", [#"model="ok""#, #"api_provider="openai""#]) == 2)
                    #expect(Self.value(text, "litellm_llm_api_time_to_first_token_metric_count", [#"model="echo-stream-2""#]) == 1)
                    #expect(Self.value(text, "litellm_input_tokens_metric", [#"model="ok""#]) == 2)
                    #expect(Self.value(text, "litellm_output_tokens_metric", [#"model="ok""#]) == 2)
                    #expect(Self.value(text, "litellm_total_tokens_metric", [#"model="ok""#]) == 4)
                    #expect(Self.value(text, "litellm_spend_metric", [#"model="ok""#]) == 4)
                    #expect(Self.value(text, "litellm_deployment_success_responses", [#"litellm_model_name="ok""#]) == 2)
                    #expect(Self.value(text, "litellm_deployment_failure_responses", [#"litellm_model_name="fail-500""#]) == 1)
                    #expect(Self.value(text, "litellm_deployment_state", [#"litellm_model_name="ok""#, #"model_group="priced""#]) == 0)
                    #expect(Self.value(text, "switchyard_first_chunk_seconds_count", [#"model="streamed""#]) == 1)
                    #expect(Self.value(text, "switchyard_requests_total", [#"model="broken""#, #"status="500""#]) == 1)
                    // Latency histograms use LiteLLM's buckets.
                    #expect(text.contains(#"le="420.0""#) || text.contains(#"le="420""#))
                    #expect(!text.contains("sk-upstream-secret") && !text.contains("sk-metrics-key"))
                }
            }
        }
    }
}
