/// What keys, teams, users and end users share: a budget that may reset on a schedule, the
/// spend against it, and rate limits.
public struct BudgetLimits: Sendable, Equatable {
    /// Largest spend (USD) allowed in the current budget period; nil is unlimited.
    public var maxBudget: Double?
    /// How long a budget period lasts (`30d`, `1h`, `1mo`); nil never resets.
    public var budgetDuration: String?
    /// When the current period ends (seconds since 1970).
    public var budgetResetAt: Double?
    /// Spend in the current period, as the database last said.
    public var spend: Double = 0
    public var rpm: Int?
    public var tpm: Int?
    public var maxParallel: Int?

    public init() {}

    /// Spend that counts against the budget at `now`: nothing once the period has ended, even
    /// before the reset job has written the zero.
    public func currentSpend(at now: Double) -> Double {
        if let budgetResetAt, budgetResetAt <= now { return 0 }
        return spend
    }

    /// Starts the schedule (`budget_reset_at = now + duration`) when a duration is set.
    public mutating func scheduleReset(from now: Double) {
        guard let text = budgetDuration, let seconds = BudgetPeriod.seconds(text) else {
            budgetResetAt = nil
            return
        }
        budgetResetAt = now + seconds
    }
}
