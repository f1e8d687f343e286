import Synchronization

/// `limit:` settings: requests per minute, estimated prompt tokens per minute and requests in
/// flight, counted per value of `by` (`key`, `user`, `model`, `header.X`, `metadata.X`).
public struct LimitSettings: Sendable {
    public var rpm: Int?
    public var tpm: Int?
    public var concurrent: Int?
    public var by: SplitSubject = .key

    public init() {}

    var summary: String {
        var parts = ["by \(by.name)"]
        if let rpm { parts.append("rpm \(rpm)") }
        if let tpm { parts.append("tpm \(tpm)") }
        if let concurrent { parts.append("concurrent \(concurrent)") }
        return parts.joined(separator: ", ")
    }
}

/// An in-memory token bucket per subject. Requests that do not carry the subject share one
/// bucket. State is per process: replicas each enforce the full limit.
public final class RateLimiter: Sendable {
    public let settings: LimitSettings
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Bucket count at which idle buckets are dropped; doubles when they are all busy, so
    /// pruning stays amortized O(1) per request.
    private let pruneAt = Atomic<Int>(RateLimiter.minimumPruneAt)
    private static let minimumPruneAt = 100_000

    private struct Bucket {
        var requests: Double
        var tokens: Double
        var updated: Double
        var inFlight = 0
    }

    public init(settings: LimitSettings) {
        self.settings = settings
    }

    /// Admits one request or answers why not. On success returns a lease to release when the
    /// request is over (only needed for `concurrent`).
    func acquire(subject: String, tokens: Int, now: Double = RateLimiter.now()) -> Result<Lease?, GatewayError> {
        acquire(subject: subject, tokens: tokens, limits: settings, label: settings.by.name, now: now)
    }

    /// Like `acquire(subject:tokens:)`, with limits that differ per subject (a virtual key's or
    /// a team's own rpm / tpm / parallel requests). `label` names the subject in the error.
    public func acquire(
        subject: String, tokens: Int, limits settings: LimitSettings, label: String, now: Double = RateLimiter.now()
    ) -> Result<Lease?, GatewayError> {
        buckets.withLock { buckets -> Result<Lease?, GatewayError> in
            if buckets.count > pruneAt.load(ordering: .relaxed) {
                Self.prune(&buckets, now: now, settings: settings)
                pruneAt.store(max(Self.minimumPruneAt, buckets.count * 2), ordering: .relaxed)
            }
            var bucket = buckets[subject] ?? Bucket(
                requests: Double(settings.rpm ?? 0), tokens: Double(settings.tpm ?? 0), updated: now)
            let elapsed = max(0, now - bucket.updated)
            bucket.updated = now
            var waitSeconds = 0.0
            if let rpm = settings.rpm {
                let rate = Double(rpm) / 60
                bucket.requests = min(Double(rpm), bucket.requests + elapsed * rate)
                if bucket.requests < 1 { waitSeconds = max(waitSeconds, (1 - bucket.requests) / rate) }
            }
            let cost = Double(min(tokens, settings.tpm ?? 0))
            if let tpm = settings.tpm {
                let rate = Double(tpm) / 60
                bucket.tokens = min(Double(tpm), bucket.tokens + elapsed * rate)
                // Negative after `consume`: tokens used beyond the budget must refill first.
                let needed = max(cost, 0.5)
                if bucket.tokens < needed { waitSeconds = max(waitSeconds, (needed - bucket.tokens) / rate) }
            }
            var concurrencyFull = false
            if let concurrent = settings.concurrent, bucket.inFlight >= concurrent { concurrencyFull = true }
            if waitSeconds > 0 || concurrencyFull {
                buckets[subject] = bucket
                let retryAfter = max(1, Int(waitSeconds.rounded(.up)))
                let what = concurrencyFull && waitSeconds == 0 ? "concurrent requests" : "requests per minute"
                return .failure(
                    GatewayError(
                        .rateLimited, status: 429,
                        message: "Rate limit exceeded (\(what) by \(label)). Retry after \(retryAfter) s.",
                        retryAfter: retryAfter))
            }
            if settings.rpm != nil { bucket.requests -= 1 }
            if settings.tpm != nil { bucket.tokens -= cost }
            var lease: Lease?
            if settings.concurrent != nil {
                bucket.inFlight += 1
                lease = Lease { [self] in self.release(subject) }
            }
            buckets[subject] = bucket
            return .success(lease)
        }
    }

    /// Takes tokens known only after the answer (a virtual key's completion tokens) from the
    /// subject's tokens-per-minute budget; the next request waits until it refills.
    /// - Parameter limits: the subject's limits, to report what it has left (for metrics).
    /// - Returns: with `limits`, the requests and tokens the subject has left now (nil for a limit
    ///   it does not have, or a subject with no bucket).
    @discardableResult
    public func consume(
        subject: String, tokens: Int, limits: LimitSettings? = nil, now: Double = RateLimiter.now()
    ) -> (requests: Double?, tokens: Double?) {
        guard tokens > 0 || limits != nil else { return (nil, nil) }
        return buckets.withLock { buckets -> (requests: Double?, tokens: Double?) in
            guard var bucket = buckets[subject] else { return (nil, nil) }
            if tokens > 0 {
                bucket.tokens -= Double(tokens)
                buckets[subject] = bucket
            }
            guard let limits else { return (nil, nil) }
            let elapsed = max(0, now - bucket.updated)
            return (limits.rpm.map { min(Double($0), bucket.requests + elapsed * Double($0) / 60) },
                    limits.tpm.map { min(Double($0), bucket.tokens + elapsed * Double($0) / 60) })
        }
    }

    /// Takes over the buckets of the limiter this one replaces on reload. Requests in flight
    /// release into the old limiter, so the new one starts its concurrency counts at zero.
    func inherit(from old: RateLimiter) {
        let buckets = old.buckets.withLock { $0 }
        self.buckets.withLock { current in
            for (subject, var bucket) in buckets {
                bucket.inFlight = 0
                current[subject] = bucket
            }
        }
    }

    private func release(_ subject: String) {
        buckets.withLock { $0[subject]?.inFlight -= 1 }
    }

    /// Drops buckets that are idle and full again: they hold no information.
    private static func prune(_ buckets: inout [String: Bucket], now: Double, settings: LimitSettings) {
        buckets = buckets.filter { _, bucket in
            bucket.inFlight > 0 || now - bucket.updated < 60
        }
    }

    private static let epoch = ContinuousClock.now

    public static func now() -> Double {
        let elapsed = ContinuousClock.now - epoch
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// Releases a held resource exactly once: explicitly, or when the last reference goes away
/// (a stream the client abandoned).
public final class Lease: Sendable {
    private let released = Atomic<Bool>(false)
    private let onRelease: @Sendable () -> Void

    public init(_ onRelease: @escaping @Sendable () -> Void) {
        self.onRelease = onRelease
    }

    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { onRelease() }
    }

    deinit { release() }
}
