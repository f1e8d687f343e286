public import Prometheus

extension PrometheusMetricsFactory {
    /// A Prometheus factory with LiteLLM's latency buckets on the latency histograms.
    public static func switchyard(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
            .seconds(300), .seconds(420), .seconds(600),
        ]
        factory.defaultDurationHistogramBuckets = buckets
        return factory
    }
}
