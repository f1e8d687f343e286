import Foundation
import SwitchyardCore
import SwitchyardStore

/// `/team/*`, `/user/*`, `/customer/*` (`/end_user/*`).
extension ManagementController {
    func newTeam(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        let now = WallClock.now()
        var team = TeamRecord(teamID: try body.string("team_id") ?? UUID().uuidString.lowercased())
        team.createdAt = now
        try applyTeam(body, to: &team, now: now)
        try await storeCall { try await store.insert(team) }
        return ManagementJSON.team(team)
    }

    func updateTeam(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("team_id") else { throw GatewayError.missingField("team_id") }
        guard var team = try await storeCall({ try await store.team(id: id) }) else { throw Self.notFound("Team") }
        try applyTeam(body, to: &team, now: WallClock.now())
        try await storeCall { try await store.update(team) }
        keys.cache.invalidateAll()
        return ManagementJSON.team(team)
    }

    func deleteTeams(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let ids = try body.strings("team_ids"), !ids.isEmpty else { throw GatewayError.missingField("team_ids") }
        let deleted = try await storeCall { try await store.deleteTeams(ids: ids) }
        keys.cache.invalidateAll()
        return ["deleted_teams": ManagementJSON.strings(deleted)]
    }

    func teamInfo(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("team_id") else { throw GatewayError.missingField("team_id") }
        guard var team = try await storeCall({ try await store.team(id: id) }) else { throw Self.notFound("Team") }
        team.limits.spend += keys.ledger?.pending(key: nil, team: id, user: nil, endUser: nil).team ?? 0
        var filter = KeyFilter()
        filter.teamID = id
        filter.size = 1_000
        let teamKeys = try await storeCall { try await store.keys(filter) }.keys
        return ["team_id": .string(id), "team_info": ManagementJSON.team(team), "keys": .array(teamKeys.map { ManagementJSON.key($0) })]
    }

    func listTeams(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        .array(try await storeCall { try await store.teams() }.map(ManagementJSON.team))
    }

    private func applyTeam(_ body: ManagementBody, to team: inout TeamRecord, now: Double) throws(GatewayError) {
        if body.has("team_alias") { team.alias = try body.string("team_alias") }
        if body.has("models") { team.models = try body.strings("models") ?? [] }
        try body.apply(to: &team.limits, now: now)
        if body.has("blocked") { team.blocked = try body.bool("blocked") ?? false }
        if body.has("metadata") { team.metadata = try body.object("metadata") ?? JSONObject() }
        team.updatedAt = now
    }

    /// LiteLLM's `/user/new` also creates a key for the user unless `auto_create_key` is false.
    func newUser(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        let now = WallClock.now()
        var user = UserRecord(userID: try body.string("user_id") ?? UUID().uuidString.lowercased())
        user.createdAt = now
        try applyUser(body, to: &user, now: now)
        try await storeCall { try await store.insert(user) }
        var fields = ManagementJSON.user(user).objectValue ?? JSONObject()
        if try body.bool("auto_create_key") ?? true {
            var keyBody = ManagementBody(object: JSONObject())
            keyBody.object["user_id"] = .string(user.userID)
            for field in ["key_alias", "team_id", "duration", "models", "aliases"] where body.has(field) {
                keyBody.object[field] = body.object[field]
            }
            let key = try await generateKey(keyBody, context)
            fields["key"] = key.objectValue?["key"]
            fields["token"] = key.objectValue?["token"]
        }
        return .object(fields)
    }

    func updateUser(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("user_id") else { throw GatewayError.missingField("user_id") }
        guard var user = try await storeCall({ try await store.user(id: id) }) else { throw Self.notFound("User") }
        try applyUser(body, to: &user, now: WallClock.now())
        try await storeCall { try await store.update(user) }
        keys.cache.invalidateAll()
        return ManagementJSON.user(user)
    }

    func deleteUsers(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let ids = try body.strings("user_ids"), !ids.isEmpty else { throw GatewayError.missingField("user_ids") }
        let deleted = try await storeCall { try await store.deleteUsers(ids: ids) }
        keys.cache.invalidateAll()
        return ["deleted_users": ManagementJSON.strings(deleted)]
    }

    func userInfo(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("user_id") else { throw GatewayError.missingField("user_id") }
        guard var user = try await storeCall({ try await store.user(id: id) }) else { throw Self.notFound("User") }
        user.limits.spend += keys.ledger?.pending(key: nil, team: nil, user: id, endUser: nil).user ?? 0
        var filter = KeyFilter()
        filter.userID = id
        filter.size = 1_000
        let userKeys = try await storeCall { try await store.keys(filter) }.keys
        return ["user_id": .string(id), "user_info": ManagementJSON.user(user), "keys": .array(userKeys.map { ManagementJSON.key($0) })]
    }

    private func applyUser(_ body: ManagementBody, to user: inout UserRecord, now: Double) throws(GatewayError) {
        if body.has("user_email") { user.email = try body.string("user_email") }
        if body.has("user_role") { user.role = try body.string("user_role") }
        if body.has("models") { user.models = try body.strings("models") ?? [] }
        try body.apply(to: &user.limits, now: now)
        if body.has("metadata") { user.metadata = try body.object("metadata") ?? JSONObject() }
        user.updatedAt = now
    }

    func newEndUser(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("user_id") else { throw GatewayError.missingField("user_id") }
        let now = WallClock.now()
        var endUser = EndUserRecord(userID: id)
        endUser.createdAt = now
        try applyEndUser(body, to: &endUser, now: now)
        try await storeCall { try await store.insert(endUser) }
        keys.invalidateEndUser(id)
        return ManagementJSON.endUser(endUser)
    }

    func updateEndUser(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("user_id") else { throw GatewayError.missingField("user_id") }
        guard var endUser = try await storeCall({ try await store.endUser(id: id) }) else { throw Self.notFound("End user") }
        try applyEndUser(body, to: &endUser, now: WallClock.now())
        try await storeCall { try await store.update(endUser) }
        keys.invalidateEndUser(id)
        return ManagementJSON.endUser(endUser)
    }

    func deleteEndUsers(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let ids = try body.strings("user_ids"), !ids.isEmpty else { throw GatewayError.missingField("user_ids") }
        let deleted = try await storeCall { try await store.deleteEndUsers(ids: ids) }
        for id in ids { keys.invalidateEndUser(id) }
        return ["deleted_end_users": ManagementJSON.strings(deleted)]
    }

    func endUserInfo(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        guard let id = try body.string("end_user_id") ?? body.string("user_id") else { throw GatewayError.missingField("end_user_id") }
        guard var endUser = try await storeCall({ try await store.endUser(id: id) }) else { throw Self.notFound("End user") }
        endUser.limits.spend += keys.ledger?.pending(key: nil, team: nil, user: nil, endUser: id).endUser ?? 0
        return ManagementJSON.endUser(endUser)
    }

    private func applyEndUser(_ body: ManagementBody, to endUser: inout EndUserRecord, now: Double) throws(GatewayError) {
        try body.apply(to: &endUser.limits, now: now)
        if body.has("blocked") { endUser.blocked = try body.bool("blocked") ?? false }
        endUser.updatedAt = now
    }
}
