import CoreMetrics
import SwitchyardCore

/// What a virtual key's request leaves for the metrics: its labels, the key's and team's budgets
/// after its spend, and the key's remaining rate limits.
struct KeyOutcome: Sendable {
    var labels: KeyLabels
    var keyBudget: BudgetState
    var teamBudget: BudgetState?
    /// Requests and tokens the key may still send this minute; nil when it has no such limit.
    var remainingRequests: Double?
    var remainingTokens: Double?
}

extension GatewayMetrics {
    /// LiteLLM's per-key series for a virtual key's request. The handles are found in
    /// `keySeries` (one shard lock for one lookup); only a failure's counter, labelled by status
    /// and error class, is looked up in the backend each time.
    func finished(_ caller: KeyOutcome, model: String, target: Target?, status: Int, errorType: String?, usage: TokenUsage?, cost: Double?) {
        let id = KeySeries.ID(labels: caller.labels, model: model, target: target?.label)
        let factory = self.factory
        let series = keySeries.value(for: id) { KeySeries(id, target: target, factory: factory) }
        series.requests[ModelMetrics.slot(status)].handle.increment()
        if status >= 400 {
            let slot = ModelMetrics.slot(status)
            // As on the key-less series: a known error code, else how a stream broke counts as upstream_error.
            let known = GatewayError.Code.all.contains { $0.description == errorType }
            Counter(
                label: "litellm_proxy_failed_requests_metric",
                dimensions: caller.labels.request + [
                    ("requested_model", model), ("exception_status", ModelMetrics.labels[slot]), ("exception_class", known ? errorType ?? "" : GatewayError.Code.upstreamError.description),
                ],
                factory: factory
            ).increment()
        }
        if let usage, let counters = series.usage {
            counters.input.increment(by: usage.prompt)
            counters.output.increment(by: usage.completion)
            counters.total.increment(by: usage.total)
            if let cost, cost > 0 { counters.spend.increment(by: cost) }
        }
        series.keyBudget.record(caller.keyBudget)
        if let team = caller.teamBudget { series.teamBudget?.record(team) }
        if let requests = caller.remainingRequests { series.remainingRequests.handle.record(max(0, requests.rounded(.down))) }
        if let tokens = caller.remainingTokens { series.remainingTokens.handle.record(max(0, tokens.rounded(.down))) }
    }
}
