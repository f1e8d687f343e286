import HTTPTypes
import SwitchyardCore
import SwitchyardStore

/// Decides who is calling from `Authorization: Bearer <key>` or `x-api-key: <key>`: the master
/// key (compared in constant time), a virtual key (by its SHA-256, from the cache or the store),
/// or nobody (401). Never echoes the key.
struct Authenticator: Sendable {
    /// The master key's bytes; nil turns authentication off.
    let masterKey: [UInt8]?
    let store: (any GatewayStore)?
    let cache: KeyCache

    func authenticate(_ headers: HTTPFields, now: Double = WallClock.now()) async throws(GatewayError) -> Principal {
        guard let masterKey else { return .open }
        guard let presented = Self.presentedKey(headers) else { throw Self.invalidKey }
        if Self.constantTimeEqual(Array(presented.utf8), masterKey) { return .master }
        guard let store else { throw Self.invalidKey }
        let token = VirtualKey.hash(presented)
        let entry: KeyEntry
        switch cache.lookup(token) {
        case .found(let cached):
            entry = cached
        case .unknown:
            throw Self.invalidKey
        case .miss:
            do {
                guard let fetched = try await Self.fetch(token, from: store) else {
                    cache.store(nil, for: token)
                    throw Self.invalidKey
                }
                cache.store(fetched, for: token)
                entry = fetched
            } catch let error as GatewayError {
                throw error
            } catch {
                // The database is down: keys seen recently keep working, others cannot be checked.
                guard let stale = cache.stale(token) else {
                    throw GatewayError(
                        .serviceUnavailable, status: 503,
                        message: "The key database is unavailable, so this key cannot be checked. Try again shortly.")
                }
                entry = stale
            }
        }
        if entry.key.blocked { throw GatewayError(.invalidAPIKey, status: 401, message: "This key is blocked.") }
        if entry.key.isExpired(at: now) { throw GatewayError(.invalidAPIKey, status: 401, message: "This key has expired.") }
        if entry.team?.blocked == true { throw GatewayError(.invalidAPIKey, status: 401, message: "This key's team is blocked.") }
        return Principal(kind: .virtualKey(entry))
    }

    /// Reads a key with its team and user.
    static func fetch(_ token: String, from store: any GatewayStore) async throws -> KeyEntry? {
        guard let key = try await store.key(token: token) else { return nil }
        let team = if let id = key.teamID { try await store.team(id: id) } else { TeamRecord?.none }
        let user = if let id = key.userID { try await store.user(id: id) } else { UserRecord?.none }
        return KeyEntry(key: key, team: team, user: user)
    }

    static let invalidKey = GatewayError(
        .invalidAPIKey, status: 401,
        message: "Missing or invalid API key. Send 'Authorization: Bearer <key>' (or 'x-api-key: <key>').")

    /// `Authorization: Bearer <key>` (OpenAI clients), or `x-api-key: <key>` (Anthropic clients).
    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let header = headers[.authorization] {
            let value = Substring(header)
            guard value.count > 7, value.prefix(7).lowercased() == "bearer " else { return nil }
            return String(value.dropFirst(7))
        }
        return headers[.xAPIKey]
    }

    /// Compares without stopping at the first difference, so timing reveals nothing of the key.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<b.count {
            difference |= (i < a.count ? a[i] : 0) ^ b[i]
        }
        return difference == 0
    }
}
