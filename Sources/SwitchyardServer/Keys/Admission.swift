import SwitchyardCore
import SwitchyardStore

/// Checks made once the requested model is known and before anything is sent upstream: the
/// key's model allow-list and aliases, budgets (key, team, user, end user) and rate limits (key
/// and team). Holds the parallel-request leases until the answer is over.
struct Admission: Sendable {
    let principal: Principal
    /// The model the program should route (a key's alias replaced).
    let model: String
    let endUser: String?
    let leases: [Lease]
    /// Limiter subjects whose tokens-per-minute the answer's tokens are taken from.
    let tokenSubjects: [String]

    /// Releases parallel-request leases; call when the answer (or stream) is over.
    func release() {
        for lease in leases { lease.release() }
    }
}

extension KeyServices {
    func admit(_ principal: Principal, model requested: String, endUser: String?, now: Double = WallClock.now()) async throws(GatewayError) -> Admission {
        guard let entry = principal.entry else {
            try await checkEndUser(endUser, now: now)
            return Admission(principal: principal, model: requested, endUser: endUser, leases: [], tokenSubjects: [])
        }
        let key = entry.key
        let model = key.aliases[requested] ?? requested
        guard Self.allows(entry, model: model) else {
            let allowed = (key.models.isEmpty ? entry.team?.models ?? [] : key.models).joined(separator: ", ")
            throw GatewayError(
                .invalidAPIKey, status: 401,
                message: "This key is not allowed to access model '\(model)'. It can access: \(allowed).", param: "model")
        }
        let pending = ledger?.pending(key: key.token, team: key.teamID, user: key.userID, endUser: endUser) ?? (key: 0, team: 0, user: 0, endUser: 0)
        try Self.checkBudget(key.limits, pending: pending.key, what: "Key", now: now)
        if let team = entry.team { try Self.checkBudget(team.limits, pending: pending.team, what: "Team=\(team.teamID)", now: now) }
        if let user = entry.user { try Self.checkBudget(user.limits, pending: pending.user, what: "User=\(user.userID)", now: now) }
        try await checkEndUser(endUser, now: now)

        var leases: [Lease] = []
        var subjects: [String] = []
        func acquire(_ subject: String, _ limits: BudgetLimits, label: String) throws(GatewayError) {
            guard limits.rpm != nil || limits.tpm != nil || limits.maxParallel != nil else { return }
            var settings = LimitSettings()
            settings.rpm = limits.rpm
            settings.tpm = limits.tpm
            settings.concurrent = limits.maxParallel
            switch limiter.acquire(subject: subject, tokens: 0, limits: settings, label: label) {
            case .success(let lease):
                if let lease { leases.append(lease) }
                if limits.tpm != nil { subjects.append(subject) }
            case .failure(let error):
                for lease in leases { lease.release() }
                throw error
            }
        }
        try acquire("key:\(key.token)", key.limits, label: "key")
        if let team = entry.team { try acquire("team:\(team.teamID)", team.limits, label: "team") }
        return Admission(principal: principal, model: model, endUser: endUser, leases: leases, tokenSubjects: subjects)
    }

    private func checkEndUser(_ id: String?, now: Double) async throws(GatewayError) {
        guard let id, let record = await endUser(id) else { return }
        if record.blocked {
            throw GatewayError(.invalidAPIKey, status: 403, message: "End user '\(id)' is blocked.", type: "permission_error")
        }
        let pending = ledger?.pending(key: nil, team: nil, user: nil, endUser: id).endUser ?? 0
        try Self.checkBudget(record.limits, pending: pending, what: "End User=\(id)", now: now)
    }

    /// LiteLLM's answer to a spent budget: 422, type `budget_exceeded`, with spend and budget.
    static func checkBudget(_ limits: BudgetLimits, pending: Double, what: String, now: Double) throws(GatewayError) {
        guard let maxBudget = limits.maxBudget else { return }
        let spend = limits.currentSpend(at: now) + pending
        guard spend >= maxBudget else { return }
        throw GatewayError(
            .budgetExceeded, status: 422,
            message: "Budget has been exceeded! \(what) Current cost: \(spend), Max budget: \(maxBudget)",
            type: "budget_exceeded")
    }

    /// Whether the key's list and its team's list both allow `model`.
    static func allows(_ entry: KeyEntry, model: String) -> Bool {
        allows(entry.key.models, model: model, team: entry.team) && allows(entry.team?.models ?? [], model: model, team: nil)
    }

    /// A model allow-list: empty allows everything; entries are names, globs (`gpt-4*`), `*`,
    /// `all-proxy-models`, or `all-team-models` (the team's list).
    static func allows(_ patterns: [String], model: String, team: TeamRecord?) -> Bool {
        guard !patterns.isEmpty else { return true }
        for pattern in patterns {
            switch pattern {
            case "*", "all-proxy-models": return true
            case "all-team-models":
                if allows(team?.models ?? [], model: model, team: nil) { return true }
            default:
                if pattern == model || (pattern.contains("*") && Glob(pattern).matches(model)) { return true }
            }
        }
        return false
    }
}
