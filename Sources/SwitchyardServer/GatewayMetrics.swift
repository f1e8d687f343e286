import CoreMetrics
import Synchronization
import SwitchyardCore

/// The gateway's own metrics, through swift-metrics (Prometheus at `/metrics` when `serve`
/// bootstraps it). Labels are bounded by the configuration: model names the config declares
/// (anything else counts as `unknown`), split arms, scrubbers and detector types. Never a value,
/// a key or a message.
///
/// - `switchyard_requests_total{model, status}`
/// - `switchyard_request_duration_seconds{model}` (a histogram)
/// - `switchyard_upstream_attempts_total{model}`
/// - `switchyard_split_assignments_total{model, arm}`
/// - `switchyard_scrub_detections_total{scrubber, detector}`
final class GatewayMetrics: Sendable {
    private let factory: any MetricsFactory
    private let knownModels: Set<String>
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[String: Timer]>([:])

    private struct Key: Hashable {
        var label: String
        var dimensions: [String]
    }

    init(factory: any MetricsFactory, models: [String]) {
        self.factory = factory
        self.knownModels = Set(models)
    }

    /// Records one chat request's outcome.
    func record(_ result: ExecutionResult, model requested: String, duration: Duration) {
        let model = knownModels.contains(requested) ? requested : "unknown"
        let status =
            switch result.outcome {
            case .success: "200"
            case .failure(let error): String(error.status)
            }
        increment("switchyard_requests_total", [("model", model), ("status", status)])
        if result.attempts > 0 {
            increment("switchyard_upstream_attempts_total", [("model", model)], by: result.attempts)
        }
        if let arm = result.arm {
            increment("switchyard_split_assignments_total", [("model", model), ("arm", arm)])
        }
        for scrub in result.scrubbed {
            for (detector, count) in scrub.summary.replacements {
                increment("switchyard_scrub_detections_total", [("scrubber", scrub.stage), ("detector", detector)], by: count)
            }
        }
        timer(model).recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    private func increment(_ label: String, _ dimensions: [(String, String)], by amount: Int = 1) {
        let key = Key(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        let counter = counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment(by: amount)
    }

    private func timer(_ model: String) -> Timer {
        timers.withLock { timers in
            if let timer = timers[model] { return timer }
            let timer = Timer(
                label: "switchyard_request_duration_seconds", dimensions: [("model", model)],
                preferredDisplayUnit: .seconds, factory: factory)
            timers[model] = timer
            return timer
        }
    }
}
