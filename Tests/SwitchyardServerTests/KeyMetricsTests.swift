import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import SwitchyardStore
import Testing

/// LiteLLM's per-key series, scraped from `/metrics` of a real server after requests with a
/// virtual key: key labels on requests, tokens and spend, the key's and team's budget gauges and
/// the key's remaining rate limits — and never the key itself.
@Suite("virtual keys' metrics at /metrics")
struct KeyMetricsTests {
    /// 1,000 prompt tokens at $0.0001 and 500 completion tokens at $0.0002 (`UsageUpstream`).
    static let costPerRequest = 1_000 * 0.0001 + 500 * 0.0002

    static func withGateway<T: Sendable>(
        server: String = "", _ body: @Sendable (_ client: any TestClientProtocol, _ registry: PrometheusCollectorRegistry) async throws -> T
    ) async throws -> T {
        let upstream = UsageUpstream()
        let registry = PrometheusCollectorRegistry()
        return try await upstream.run { port in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-key-metrics-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let yaml = """
                server:
                  access_log: false
                  master_key: \(VirtualKeyTests.master)
                \(server)
                database:
                  url: sqlite://\(directory.path)/keys.db
                  flush_interval: 10s
                providers:
                  up: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-upstream}
                models:
                  priced: {provider: up, model: usage-model, input_cost_per_token: 0.0001, output_cost_per_token: 0.0002}
                """
            return try await GatewayHarness.withStoreGateway(yaml: yaml, file: "\(directory.path)/test.yaml", metrics: registry) { client, _ in
                try await body(client, registry)
            }
        }
    }

    static func scrape(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
    }

    @Test func keyLabelsBudgetsAndRemainingLimits() async throws {
        try await Self.withGateway { client, _ in
            let team = try await VirtualKeyTests.admin(client, "/team/new", #"{"team_alias": "search", "max_budget": 10}"#)
            let teamID = try #require(team["team_id"] as? String)
            let created = try await VirtualKeyTests.admin(
                client, "/key/generate",
                #"{"team_id": "\#(teamID)", "key_alias": "search-prod", "max_budget": 1.0, "budget_duration": "30d", "rpm_limit": 100, "tpm_limit": 100000}"#)
            let key = try #require(created["key"] as? String)
            let hash = VirtualKey.hash(key)
            for _ in 0..<2 {
                let answer = try await VirtualKeyTests.chat(client, key: key, extra: #","user":"customer-42""#)
                #expect(answer.status == .ok, "\(answer.body)")
            }
            // The master key's request is counted without key labels.
            #expect(try await VirtualKeyTests.chat(client, key: VirtualKeyTests.master).status == .ok)

            let text = try await Self.scrape(client)
            let keyLabels = [#"hashed_api_key="\#(hash)""#, #"api_key_alias="search-prod""#]
            let requestLabels = keyLabels + [#"team="\#(teamID)""#, #"team_alias="search""#]
            #expect(MetricsTests.value(text, "litellm_proxy_total_requests_metric", requestLabels + [#"requested_model="priced""#, #"status_code="200""#]) == 2)
            #expect(MetricsTests.value(text, "litellm_total_tokens_metric", requestLabels + [#"model="usage-model""#, #"api_provider="openai""#]) == 3_000)
            #expect(MetricsTests.value(text, "litellm_input_tokens_metric", requestLabels) == 2_000)
            let spend = try #require(MetricsTests.value(text, "litellm_spend_metric", requestLabels))
            #expect(abs(spend - 2 * Self.costPerRequest) < 1e-9)
            // Without a virtual key: the series without key labels.
            let unlabelled = text.split(separator: "\n").filter {
                $0.hasPrefix("litellm_proxy_total_requests_metric{") && !$0.contains("hashed_api_key")
            }
            #expect(unlabelled.count == 1 && unlabelled[0].hasSuffix(" 1"), "\(unlabelled)")

            let remaining = try #require(MetricsTests.value(text, "litellm_remaining_api_key_budget_metric", keyLabels))
            #expect(abs(remaining - (1.0 - 2 * Self.costPerRequest)) < 1e-9, "budget 1.0 minus two requests' spend")
            #expect(MetricsTests.value(text, "litellm_api_key_max_budget_metric", keyLabels) == 1.0)
            let hours = try #require(MetricsTests.value(text, "litellm_api_key_budget_remaining_hours_metric", keyLabels))
            #expect(hours > 719 && hours <= 720, "30d budget period")
            let teamLabels = [#"team="\#(teamID)""#, #"team_alias="search""#]
            let teamRemaining = try #require(MetricsTests.value(text, "litellm_remaining_team_budget_metric", teamLabels))
            #expect(abs(teamRemaining - (10 - 2 * Self.costPerRequest)) < 1e-9)
            #expect(MetricsTests.value(text, "litellm_team_max_budget_metric", teamLabels) == 10)

            let requests = try #require(MetricsTests.value(text, "litellm_remaining_api_key_requests_for_model", keyLabels + [#"model="priced""#]))
            #expect(requests >= 98 && requests < 100, "100 rpm, 2 used (refilling at 100 per minute)")
            let tokens = try #require(MetricsTests.value(text, "litellm_remaining_api_key_tokens_for_model", keyLabels + [#"model="priced""#]))
            #expect(tokens >= 97_000 && tokens < 100_000, "100,000 tpm, 3,000 used")

            #expect(!text.contains(key), "never the key itself")
            #expect(!text.contains("customer-42"), "no end user label unless configured")
            #expect(!text.contains(VirtualKeyTests.master))
        }
    }

    @Test func endUserLabelOnlyWhenConfigured() async throws {
        try await Self.withGateway(server: "  metrics_user_labels: true") { client, _ in
            let created = try await VirtualKeyTests.admin(client, "/key/generate", #"{"key_alias": "plain"}"#)
            let key = try #require(created["key"] as? String)
            #expect(try await VirtualKeyTests.chat(client, key: key, extra: #","user":"customer-42""#).status == .ok)
            let text = try await Self.scrape(client)
            #expect(MetricsTests.value(text, "litellm_proxy_total_requests_metric", [#"api_key_alias="plain""#, #"end_user="customer-42""#]) == 1)
            #expect(MetricsTests.value(text, "litellm_remaining_api_key_budget_metric", [#"api_key_alias="plain""#]) == .infinity,
                "LiteLLM's +Inf for a key without a budget")
            #expect(!text.contains("litellm_api_key_max_budget_metric{"), "no maximum without a budget")
            #expect(!text.contains("litellm_remaining_api_key_requests_for_model{"), "no rpm limit, no gauge")
            #expect(!text.contains(key))
        }
    }
}
