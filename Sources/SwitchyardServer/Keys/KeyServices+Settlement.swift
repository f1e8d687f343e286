import SwitchyardCore
import SwitchyardStore

extension KeyServices {
    /// The rate-limit side of a request's end: the answer's tokens are taken from the
    /// tokens-per-minute of the key and team that have one.
    /// - Returns: for a virtual key with an rpm or tpm limit, what it has left this minute (the
    ///   key's limiter bucket is read in the same lock as its tokens are taken); else nils.
    func settleLimits(_ admission: Admission, tokens: Int) -> (requests: Double?, tokens: Double?) {
        let key = admission.principal.entry?.key
        let keySubject = key.map { "key:\($0.token)" }
        for subject in admission.tokenSubjects where subject != keySubject {
            limiter.consume(subject: subject, tokens: tokens)
        }
        guard let key, let keySubject, key.limits.rpm != nil || key.limits.tpm != nil else { return (nil, nil) }
        var limits = LimitSettings()
        limits.rpm = key.limits.rpm
        limits.tpm = key.limits.tpm
        let taken = admission.tokenSubjects.contains(keySubject) ? tokens : 0
        return limiter.consume(subject: keySubject, tokens: taken, limits: limits)
    }

    /// What a virtual key's request leaves for the metrics (nil for the master key or none).
    /// - Parameters:
    ///   - pending: the key's and team's spend not yet in the database, this request's included.
    ///   - remaining: from `settleLimits`.
    ///   - userLabels: `server.metrics_user_labels`: label with the request's end user.
    func metricsOutcome(
        _ admission: Admission, pending: (key: Double, team: Double), remaining: (requests: Double?, tokens: Double?), userLabels: Bool,
        now: Double = WallClock.now()
    ) -> KeyOutcome? {
        guard let entry = admission.principal.entry else { return nil }
        func budget(_ limits: BudgetLimits, pending: Double) -> BudgetState {
            BudgetState(max: limits.maxBudget, spent: limits.currentSpend(at: now) + pending, resetAt: limits.budgetResetAt, now: now)
        }
        return KeyOutcome(
            labels: KeyLabels(entry, endUser: userLabels ? admission.endUser : nil),
            keyBudget: budget(entry.key.limits, pending: pending.key),
            teamBudget: entry.team.map { budget($0.limits, pending: pending.team) },
            remainingRequests: remaining.requests, remainingTokens: remaining.tokens)
    }
}
