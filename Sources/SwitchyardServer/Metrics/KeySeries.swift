import CoreMetrics
import SwitchyardCore

/// The handles of one virtual key's requests for one requested model and target, with LiteLLM's
/// key labels (`KeyLabels`): requests by status, tokens, spend, the key's and team's budget
/// gauges and the key's remaining rate limits. Made on the first such request, then found in a
/// `ShardedCache`.
struct KeySeries: Sendable {
    struct ID: Hashable, Sendable {
        var labels: KeyLabels
        var model: String
        var target: String?
    }

    /// One slot per `ModelMetrics.labels` status.
    let requests: [LazyHandle<Counter>]
    /// Tokens and spend (nil without a target): `model` and `api_provider` as on the key-less series.
    let usage: (input: Counter, output: Counter, total: Counter, spend: FloatingPointCounter)?
    let keyBudget: BudgetGauges
    let teamBudget: BudgetGauges?
    let remainingRequests: LazyHandle<Gauge>
    let remainingTokens: LazyHandle<Gauge>

    /// `litellm_remaining_*_budget_metric`, `litellm_*_max_budget_metric`,
    /// `litellm_*_budget_remaining_hours_metric` for a key or a team.
    struct BudgetGauges: Sendable {
        let remaining: LazyHandle<Gauge>
        let max: LazyHandle<Gauge>
        let remainingHours: LazyHandle<Gauge>

        init(_ what: String, remainingName: String, labels: [(String, String)], factory: any MetricsFactory) {
            remaining = LazyHandle { Gauge(label: remainingName, dimensions: labels, factory: factory) }
            max = LazyHandle { Gauge(label: "litellm_\(what)_max_budget_metric", dimensions: labels, factory: factory) }
            remainingHours = LazyHandle { Gauge(label: "litellm_\(what)_budget_remaining_hours_metric", dimensions: labels, factory: factory) }
        }

        /// LiteLLM's values: remaining is +Inf without a budget; the maximum and the hours to the
        /// reset only when there is one.
        func record(_ budget: BudgetState) {
            guard let maxBudget = budget.max else {
                remaining.handle.record(Double.infinity)
                return
            }
            remaining.handle.record(maxBudget - budget.spent)
            max.handle.record(maxBudget)
            if let resetAt = budget.resetAt { remainingHours.handle.record(Swift.max(0, resetAt - budget.now) / 3600) }
        }
    }

    init(_ id: ID, target: Target?, factory: any MetricsFactory) {
        let labels = id.labels
        requests = ModelMetrics.labels.map { status in
            LazyHandle {
                Counter(label: "litellm_proxy_total_requests_metric",
                        dimensions: labels.request + [("requested_model", id.model), ("status_code", status)], factory: factory)
            }
        }
        usage = target.map { target in
            let dimensions = labels.request + [("model", target.model), ("api_provider", target.providerKind.rawValue)]
            return (Counter(label: "litellm_input_tokens_metric", dimensions: dimensions, factory: factory),
                    Counter(label: "litellm_output_tokens_metric", dimensions: dimensions, factory: factory),
                    Counter(label: "litellm_total_tokens_metric", dimensions: dimensions, factory: factory),
                    FloatingPointCounter(label: "litellm_spend_metric", dimensions: dimensions, factory: factory))
        }
        keyBudget = BudgetGauges("api_key", remainingName: "litellm_remaining_api_key_budget_metric", labels: labels.key, factory: factory)
        teamBudget = labels.team.isEmpty ? nil
            : BudgetGauges("team", remainingName: "litellm_remaining_team_budget_metric", labels: labels.teamLabels, factory: factory)
        let perModel = labels.key + [("model", id.model)]
        remainingRequests = LazyHandle { Gauge(label: "litellm_remaining_api_key_requests_for_model", dimensions: perModel, factory: factory) }
        remainingTokens = LazyHandle { Gauge(label: "litellm_remaining_api_key_tokens_for_model", dimensions: perModel, factory: factory) }
    }
}

/// A budget as it stands after a request's spend was recorded.
struct BudgetState: Sendable {
    var max: Double?
    /// Spend in the current period, the request's included.
    var spent: Double
    /// When the period ends (seconds since 1970).
    var resetAt: Double?
    var now: Double
}
