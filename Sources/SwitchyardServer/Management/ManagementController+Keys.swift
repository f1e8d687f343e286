import SwitchyardCore
import SwitchyardStore

/// `/key/generate`, `/key/update`, `/key/delete`, `/key/info`, `/key/list`, `/key/block`,
/// `/key/unblock`, `/key/regenerate`.
extension ManagementController {
    func generateKey(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        let secret = try body.string("key") ?? VirtualKey.generate()
        guard secret.hasPrefix("sk-"), secret.count >= 8 else {
            throw GatewayError.invalidRequest("a custom 'key' must start with 'sk-' and have at least 8 characters", param: "key")
        }
        let now = WallClock.now()
        var key = KeyRecord(token: VirtualKey.hash(secret), keyName: VirtualKey.displayName(secret))
        key.createdAt = now
        try await apply(body, to: &key, now: now)
        try await storeCall { try await store.insert(key) }
        return ManagementJSON.key(key, secret: secret)
    }

    func updateKey(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        var key = try await existingKey(body)
        try await apply(body, to: &key, now: WallClock.now())
        try await storeCall { try await store.update(key) }
        keys.cache.invalidate(key.token)
        return ManagementJSON.key(key)
    }

    func deleteKeys(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        var references = try body.strings("keys") ?? []
        for alias in try body.strings("key_aliases") ?? [] {
            var filter = KeyFilter()
            filter.alias = alias
            references += try await storeCall { try await store.keys(filter) }.keys.map(\.token)
        }
        guard !references.isEmpty else { throw GatewayError.invalidRequest("give 'keys' or 'key_aliases'", param: "keys") }
        let tokens = references.map(VirtualKey.token(forReference:))
        let deleted = Set(try await storeCall { try await store.deleteKeys(tokens: tokens) })
        for token in tokens { keys.cache.invalidate(token) }
        let named = zip(references, tokens).filter { deleted.contains($0.1) }.map(\.0)
        return ["deleted_keys": ManagementJSON.strings(named)]
    }

    /// A key may read its own record without admin rights.
    func keyInfo(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        let own = context.principal.entry?.key.token
        let token = try body.string("key").map(VirtualKey.token(forReference:)) ?? own
        guard let token else { throw GatewayError.missingField("key") }
        if !context.principal.isAdmin, token != own {
            try requireAdmin(context)
        }
        guard var key = try await storeCall({ try await store.key(token: token) }) else { throw Self.notFound("Key") }
        // Spend this replica recorded but has not written yet counts already.
        key.limits.spend += keys.ledger?.pending(key: token, team: nil, user: nil, endUser: nil).key ?? 0
        return ["key": .string(token), "info": ManagementJSON.key(key)]
    }

    func listKeys(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        var filter = KeyFilter()
        filter.teamID = try body.string("team_id")
        filter.userID = try body.string("user_id")
        filter.alias = try body.string("key_alias")
        filter.page = Int(try body.string("page") ?? "") ?? 1
        filter.size = Int(try body.string("size") ?? "") ?? 100
        let full = try body.string("return_full_object") == "true"
        let (list, total) = try await storeCall { try await store.keys(filter) }
        let size = max(1, min(filter.size, 1_000))
        return [
            "keys": .array(list.map { full ? ManagementJSON.key($0) : .string($0.token) }),
            "total_count": .number(total), "current_page": .number(filter.page),
            "total_pages": .number((total + size - 1) / size),
        ]
    }

    func setBlocked(_ body: ManagementBody, _ blocked: Bool) async throws -> JSONValue {
        var key = try await existingKey(body)
        key.blocked = blocked
        key.updatedAt = WallClock.now()
        try await storeCall { try await store.update(key) }
        keys.cache.invalidate(key.token)
        return ManagementJSON.key(key)
    }

    /// A new secret for an existing key: same settings and spend, the old secret stops working.
    func regenerateKey(_ body: ManagementBody, _ context: GatewayRequestContext) async throws -> JSONValue {
        // Spend still in memory must reach the old row before its spend is copied.
        await keys.ledger?.flush()
        let old = try await existingKey(body)
        let secret = try body.string("new_key") ?? VirtualKey.generate()
        guard secret.hasPrefix("sk-") else { throw GatewayError.invalidRequest("'new_key' must start with 'sk-'", param: "new_key") }
        var key = old
        key.token = VirtualKey.hash(secret)
        key.keyName = VirtualKey.displayName(secret)
        var settings = body
        settings.object["key"] = nil
        try await apply(settings, to: &key, now: WallClock.now())
        // The alias is unique: free it before the new row takes it.
        _ = try await storeCall { try await store.deleteKeys(tokens: [old.token]) }
        do {
            try await storeCall { try await store.insert(key) }
        } catch {
            _ = try? await store.insert(old)
            throw error
        }
        keys.cache.invalidate(old.token)
        return ManagementJSON.key(key, secret: secret)
    }

    private func existingKey(_ body: ManagementBody) async throws -> KeyRecord {
        guard let reference = try body.string("key") else { throw GatewayError.missingField("key") }
        guard let key = try await storeCall({ try await store.key(token: VirtualKey.token(forReference: reference)) }) else {
            throw Self.notFound("Key")
        }
        return key
    }

    /// The key fields LiteLLM's `/key/generate` and `/key/update` take.
    private func apply(_ body: ManagementBody, to key: inout KeyRecord, now: Double) async throws {
        if body.has("key_alias") { key.alias = try body.string("key_alias") }
        if body.has("team_id") {
            key.teamID = try body.string("team_id")
            if let team = key.teamID, try await storeCall({ try await store.team(id: team) }) == nil {
                throw GatewayError.invalidRequest("no team '\(team)'; create it with /team/new", param: "team_id")
            }
        }
        if body.has("user_id") { key.userID = try body.string("user_id") }
        if body.has("models") { key.models = try body.strings("models") ?? [] }
        try body.apply(to: &key.limits, now: now)
        if body.has("duration") {
            key.expires = try body.period("duration").flatMap(BudgetPeriod.seconds).map { now + $0 }
        }
        if body.has("blocked") { key.blocked = try body.bool("blocked") ?? false }
        if body.has("metadata") { key.metadata = try body.object("metadata") ?? JSONObject() }
        if body.has("aliases") {
            var aliases: [String: String] = [:]
            for field in try body.object("aliases") ?? JSONObject() {
                guard let target = field.value.stringValue else {
                    throw GatewayError.wrongType("aliases.\(field.key)", expected: "a model name", got: field.value)
                }
                aliases[field.key] = target
            }
            key.aliases = aliases
        }
        key.updatedAt = now
    }
}
