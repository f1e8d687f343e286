/// The spend totals of one flushed batch, by entity.
struct SpendBatchView: Sendable {
    var keys: [String: Double]
    var teams: [String: Double]
    var users: [String: Double]
    var endUsers: [String: Double]
}
