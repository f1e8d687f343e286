import SwitchyardStore

/// Who is calling: decided once per request by `Authenticator`, read by admission, pipelines
/// (`key`, `team`, `key.metadata.X`), spend and the management API.
struct Principal: Sendable {
    enum Kind: Sendable {
        /// No master key is configured: authentication is off.
        case open
        case master
        case virtualKey(KeyEntry)
    }

    var kind: Kind

    static let open = Principal(kind: .open)
    static let master = Principal(kind: .master)

    /// The key's record with its team and user, as one cached unit.
    var entry: KeyEntry? {
        if case .virtualKey(let entry) = kind { entry } else { nil }
    }

    /// May call the management API: the master key, or a key whose user is a `proxy_admin`.
    var isAdmin: Bool {
        switch kind {
        case .open: false
        case .master: true
        case .virtualKey(let entry): entry.user?.isAdmin ?? false
        }
    }

    /// `key` in pipeline conditions: the key's alias (its display name without one); `master`.
    var keyAlias: String? {
        switch kind {
        case .open: nil
        case .master: "master"
        case .virtualKey(let entry): entry.key.alias ?? entry.key.keyName
        }
    }
}
