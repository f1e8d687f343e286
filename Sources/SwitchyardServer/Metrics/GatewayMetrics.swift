import CoreMetrics
import SwitchyardCore
import SwitchyardScrub

/// The gateway's metrics, through swift-metrics (Prometheus at `/metrics` when `serve`
/// bootstraps it): Switchyard's own `switchyard_*` series and LiteLLM's `litellm_*` names and
/// labels, so LiteLLM dashboards keep working. Labels are bounded by the configuration: model
/// names it declares (anything else is `unknown`), its targets, split arms, scrubbers and
/// detector names. Never a request id, a key, a value or a message.
///
/// Every handle is looked up in tables built here, once per program: a request pays atomic
/// loads and increments, no lock (see `LazyHandle`). The list is in docs/operations.md.
final class GatewayMetrics: Sendable {
    private let models: [String: ModelMetrics]
    private let unknownModel: ModelMetrics
    private let targets: [String: TargetMetrics]
    private let otherTarget: TargetMetrics
    /// Scrubber → detector name → counter.
    private let detections: [String: [String: LazyHandle<CoreMetrics.Counter>]]
    private let deploymentState: [(deployment: GatewayProgram.Deployment, gauge: CoreMetrics.Gauge)]
    private let program: GatewayProgram
    /// Virtual keys' series (`GatewayMetrics+Keys.swift`), made on a key's first request.
    let keySeries = ShardedCache<KeySeries.ID, KeySeries>()
    let factory: any MetricsFactory
    /// `server.metrics_user_labels`: virtual keys' series carry `end_user`.
    let userLabels: Bool

    init(factory: any MetricsFactory, program: GatewayProgram) {
        self.factory = factory
        self.userLabels = program.settings.metricsUserLabels
        let arms = program.splitArms
        self.models = Dictionary(
            program.modelNames.map { ($0, ModelMetrics(model: $0, arms: arms, factory: factory)) }, uniquingKeysWith: { first, _ in first })
        self.unknownModel = ModelMetrics(model: "unknown", arms: arms, factory: factory)
        let deployments = program.deployments()
        var targets: [String: TargetMetrics] = [:]
        for deployment in deployments where targets[deployment.target.label] == nil {
            targets[deployment.target.label] = TargetMetrics(target: deployment.target, factory: factory)
        }
        self.targets = targets
        self.otherTarget = TargetMetrics(model: "other", provider: "other", id: "other", factory: factory)
        let detectors = Detector.allNames + ["custom"]
        self.detections = Dictionary(uniqueKeysWithValues: program.scrubStages.map { stage in
            (stage, Dictionary(uniqueKeysWithValues: detectors.map { detector in
                (detector, LazyHandle { CoreMetrics.Counter(label: "switchyard_scrub_detections_total", dimensions: [("scrubber", stage), ("detector", detector)], factory: factory) })
            }))
        })
        self.deploymentState = deployments.map { deployment in
            let target = deployment.target
            return (deployment, CoreMetrics.Gauge(
                label: "litellm_deployment_state",
                dimensions: [("litellm_model_name", target.model), ("model_id", target.id ?? target.label),
                             ("api_provider", target.providerKind.rawValue), ("model_group", deployment.model)],
                factory: factory))
        }
        self.program = program
    }

    /// What is known when the program has answered (for a stream: its first chunk is in hand).
    /// - Parameters:
    ///   - upstream: time spent in upstream calls so far.
    ///   - elapsed: time since the request arrived.
    func answered(_ result: ExecutionResult, model requested: String, stream: Bool, upstream: Duration, elapsed: Duration) {
        let model = models[requested] ?? unknownModel
        if result.attempts > 0 { model.attempts.increment(by: result.attempts) }
        if let arm = result.arm { model.arms[arm]?.handle.increment() }
        for scrub in result.scrubbed {
            guard let detectors = detections[scrub.stage] else { continue }
            for (detector, count) in scrub.summary.replacements {
                (detectors[detector] ?? detectors["custom"])?.handle.increment(by: count)
            }
        }
        if stream, case .success = result.outcome {
            model.firstChunk.record(elapsed)
            target(result.target).timeToFirstToken.record(upstream)
        }
    }

    /// The request's end (for a stream: after its last byte), from `Accounting.finish`.
    /// - Parameters:
    ///   - upstream: time the upstream took (for a stream, until its last chunk).
    ///   - caller: for a virtual key: LiteLLM's request, token and spend series are counted with
    ///     its labels instead of without (see `GatewayMetrics+Keys.swift`).
    func finished(
        model requested: String, target: Target?, status: Int, errorType: String?, duration: Duration, upstream: Duration?,
        usage: TokenUsage?, cost: Double?, caller: KeyOutcome? = nil
    ) {
        let model = models[requested] ?? unknownModel
        model.requests(status: status).increment()
        model.duration.record(duration)
        model.totalLatency.record(duration)
        if let caller {
            finished(caller, model: models[requested] == nil ? "unknown" : requested, target: target, status: status, errorType: errorType,
                     usage: usage, cost: cost)
        } else {
            model.proxyRequests(status: status).increment()
            if status >= 400 { model.failures(status: status, errorType: errorType ?? "error").increment() }
        }
        guard let target else { return }
        let metrics = self.target(target)
        metrics.total.increment()
        (status < 400 ? metrics.successes : metrics.failures).increment()
        if let upstream { metrics.apiLatency.record(upstream) }
        if let usage, caller == nil {
            metrics.inputTokens.increment(by: usage.prompt)
            metrics.outputTokens.increment(by: usage.completion)
            metrics.totalTokens.increment(by: usage.total)
        }
        if let cost, cost > 0, caller == nil { metrics.spend.increment(by: cost) }
    }

    /// Sets `litellm_deployment_state` (0 healthy, 2 cooling down) from the targets' state now;
    /// called when `/metrics` is scraped.
    func refreshDeploymentState() {
        let now = program.deployments()
        for (index, entry) in deploymentState.enumerated() where index < now.count {
            entry.gauge.record(now[index].isCoolingDown ? 2 : 0)
        }
    }

    private func target(_ target: Target?) -> TargetMetrics {
        target.flatMap { targets[$0.label] } ?? otherTarget
    }
}
