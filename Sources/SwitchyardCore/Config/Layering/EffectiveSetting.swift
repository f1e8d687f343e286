/// One line of `switchyard config show`: a layered setting's effective value and its source.
public struct EffectiveSetting: Sendable, Equatable {
    /// `server.port`.
    public var name: String
    /// As `config show` prints it, secrets redacted; nil when unset.
    public var value: String?
    public var source: SettingSource

    public init(name: String, value: String?, source: SettingSource) {
        self.name = name
        self.value = value
        self.source = source
    }
}
