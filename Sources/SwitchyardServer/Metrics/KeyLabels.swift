import SwitchyardStore

/// LiteLLM's labels for a virtual key's requests: `hashed_api_key` (the key's SHA-256 token, never
/// the key), `api_key_alias`, `team`, `team_alias`, `user` (the key's owner) and, only with
/// `server.metrics_user_labels: true`, `end_user` (the request's `user` field, which clients
/// choose freely: unbounded).
struct KeyLabels: Hashable, Sendable {
    var hashedKey: String
    var keyAlias: String
    var team: String
    var teamAlias: String
    var user: String
    var endUser: String?

    init(_ entry: KeyEntry, endUser: String?) {
        hashedKey = entry.key.token
        keyAlias = entry.key.alias ?? ""
        team = entry.key.teamID ?? ""
        teamAlias = entry.team?.alias ?? ""
        user = entry.key.userID ?? ""
        self.endUser = endUser
    }

    /// The labels LiteLLM puts on request, token and spend counters.
    var request: [(String, String)] {
        var labels = [("hashed_api_key", hashedKey), ("api_key_alias", keyAlias), ("team", team), ("team_alias", teamAlias), ("user", user)]
        if let endUser { labels.append(("end_user", endUser)) }
        return labels
    }

    var key: [(String, String)] { [("hashed_api_key", hashedKey), ("api_key_alias", keyAlias)] }
    var teamLabels: [(String, String)] { [("team", team), ("team_alias", teamAlias)] }
}
