import SwitchyardStore

/// A key's record with its team and user, read together and cached together.
struct KeyEntry: Sendable {
    var key: KeyRecord
    var team: TeamRecord?
    var user: UserRecord?
}
