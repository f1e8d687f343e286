import CoreMetrics
import SwitchyardCore

/// One requested model's handles (`model`, `requested_model`, `model_group` labels).
struct ModelMetrics: Sendable {
    let attempts: Counter
    let duration: Timer
    let totalLatency: Timer
    let firstChunk: Timer
    /// Split arm → `switchyard_split_assignments_total`.
    let arms: [String: LazyHandle<Counter>]
    /// One slot per status in `statuses`, then one per class (`1xx` … `5xx`) for the others.
    private let native: [LazyHandle<Counter>]
    private let proxy: [LazyHandle<Counter>]
    /// Status slot → error type → `litellm_proxy_failed_requests_metric`, made on first use.
    private let failed: [String: [LazyHandle<Counter>]]

    /// Statuses with their own series; other statuses are labelled by class (`5xx`).
    static let statuses = [200, 400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504]
    static let labels = statuses.map(String.init) + ["1xx", "2xx", "3xx", "4xx", "5xx"]

    init(model: String, arms: [String], factory: any MetricsFactory) {
        attempts = Counter(label: "switchyard_upstream_attempts_total", dimensions: [("model", model)], factory: factory)
        duration = Timer(label: "switchyard_request_duration_seconds", dimensions: [("model", model)], preferredDisplayUnit: .seconds, factory: factory)
        firstChunk = Timer(label: "switchyard_first_chunk_seconds", dimensions: [("model", model)], preferredDisplayUnit: .seconds, factory: factory)
        totalLatency = Timer(
            label: "litellm_request_total_latency_metric", dimensions: [("model_group", model), ("requested_model", model)],
            preferredDisplayUnit: .seconds, factory: factory)
        self.arms = Dictionary(uniqueKeysWithValues: arms.map { arm in
            (arm, LazyHandle { Counter(label: "switchyard_split_assignments_total", dimensions: [("model", model), ("arm", arm)], factory: factory) })
        })
        native = Self.labels.map { status in
            LazyHandle { Counter(label: "switchyard_requests_total", dimensions: [("model", model), ("status", status)], factory: factory) }
        }
        proxy = Self.labels.map { status in
            LazyHandle {
                Counter(label: "litellm_proxy_total_requests_metric", dimensions: [("requested_model", model), ("status_code", status)], factory: factory)
            }
        }
        failed = Dictionary(uniqueKeysWithValues: GatewayError.Code.all.map { code in
            (code.description, Self.labels.map { status in
                LazyHandle {
                    Counter(
                        label: "litellm_proxy_failed_requests_metric",
                        dimensions: [("requested_model", model), ("exception_status", status), ("exception_class", code.description)],
                        factory: factory)
                }
            })
        })
    }

    static func slot(_ status: Int) -> Int {
        if let index = statuses.firstIndex(of: status) { return index }
        return statuses.count + min(max(status / 100, 1), 5) - 1
    }

    func requests(status: Int) -> Counter { native[Self.slot(status)].handle }
    func proxyRequests(status: Int) -> Counter { proxy[Self.slot(status)].handle }

    /// `exception_class` is the error's code; anything else (how a stream broke) counts as `upstream_error`.
    func failures(status: Int, errorType: String) -> Counter {
        (failed[errorType] ?? failed[GatewayError.Code.upstreamError.description]!)[Self.slot(status)].handle
    }
}

/// One target's handles (LiteLLM's deployment labels: `model`, `api_provider`, `model_id`).
struct TargetMetrics: Sendable {
    let apiLatency: Timer
    let timeToFirstToken: Timer
    let inputTokens: Counter
    let outputTokens: Counter
    let totalTokens: Counter
    let spend: FloatingPointCounter
    let successes: Counter
    let failures: Counter
    let total: Counter

    init(target: Target, factory: any MetricsFactory) {
        self.init(model: target.model, provider: target.providerKind.rawValue, id: target.id ?? target.label, factory: factory)
    }

    init(model: String, provider: String, id: String, factory: any MetricsFactory) {
        let api: [(String, String)] = [("model", model), ("api_provider", provider), ("model_id", id)]
        let usage: [(String, String)] = [("model", model), ("api_provider", provider)]
        let deployment: [(String, String)] = [("litellm_model_name", model), ("model_id", id), ("api_provider", provider)]
        apiLatency = Timer(label: "litellm_llm_api_latency_metric", dimensions: api, preferredDisplayUnit: .seconds, factory: factory)
        timeToFirstToken = Timer(label: "litellm_llm_api_time_to_first_token_metric", dimensions: api, preferredDisplayUnit: .seconds, factory: factory)
        inputTokens = Counter(label: "litellm_input_tokens_metric", dimensions: usage, factory: factory)
        outputTokens = Counter(label: "litellm_output_tokens_metric", dimensions: usage, factory: factory)
        totalTokens = Counter(label: "litellm_total_tokens_metric", dimensions: usage, factory: factory)
        spend = FloatingPointCounter(label: "litellm_spend_metric", dimensions: usage, factory: factory)
        successes = Counter(label: "litellm_deployment_success_responses", dimensions: deployment, factory: factory)
        failures = Counter(label: "litellm_deployment_failure_responses", dimensions: deployment, factory: factory)
        total = Counter(label: "litellm_deployment_total_requests", dimensions: deployment, factory: factory)
    }
}

extension Timer {
    func record(_ duration: Duration) {
        recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
