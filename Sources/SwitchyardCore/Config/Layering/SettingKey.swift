import Yams

/// One key of a layered section (`server.port`): how a value is read into the section's settings
/// and how the effective value is shown by `switchyard config show`.
///
/// The same `read` serves the file (the YAML node at its position) and the environment and flags
/// (their text as a plain scalar), so every layer goes through the same parser and checks.
struct SettingKey<Settings>: Sendable {
    /// How `config show` prints the value.
    enum Secrecy: Sendable {
        case plain
        /// Never shown (`master_key`).
        case secret
        /// A URL whose password is hidden (`database.url`).
        case url
    }

    let name: String
    let secrecy: Secrecy
    /// Reads `node` into the settings; problems go to `reader` under `path`.
    let read: @Sendable (inout Settings, Node, _ path: String, YAMLReader) -> Void
    /// The effective value as text; nil when unset.
    let show: @Sendable (Settings) -> String?

    init(
        _ name: String, secrecy: Secrecy = .plain, read: @escaping @Sendable (inout Settings, Node, String, YAMLReader) -> Void,
        show: @escaping @Sendable (Settings) -> String?
    ) {
        self.name = name
        self.secrecy = secrecy
        self.read = read
        self.show = show
    }

    typealias Field<Value> = WritableKeyPath<Settings, Value> & Sendable

    static func int(_ name: String, _ field: Field<Int>, range: ClosedRange<Int>) -> Self {
        Self(name, read: { s, node, path, reader in s[keyPath: field] = reader.int(node, path, range: range) ?? s[keyPath: field] },
             show: { String($0[keyPath: field]) })
    }

    static func bool(_ name: String, _ field: Field<Bool>) -> Self {
        Self(name, read: { s, node, path, reader in s[keyPath: field] = reader.bool(node, path) ?? s[keyPath: field] },
             show: { String($0[keyPath: field]) })
    }

    /// Bytes, or a number with KB, MB, GB, KiB, MiB, GiB.
    static func byteSize(_ name: String, _ field: Field<Int>) -> Self {
        Self(name, read: { s, node, path, reader in s[keyPath: field] = reader.byteSize(node, path) ?? s[keyPath: field] },
             show: { String($0[keyPath: field]) })
    }

    /// A duration (`30s`, `500ms`, a bare number of seconds); `positive` refuses zero.
    static func duration(_ name: String, _ field: Field<Duration>, positive: Bool = false) -> Self {
        Self(name, read: { s, node, path, reader in
            guard let value = reader.duration(node, path) else { return }
            if positive && value <= .zero { reader.error(node, path, "must be positive") } else { s[keyPath: field] = value }
        }, show: { DurationText.format($0[keyPath: field]) })
    }

    static func oneOf<E: RawRepresentable & CaseIterable & Sendable>(_ name: String, _ field: Field<E>) -> Self where E.RawValue == String {
        Self(name, read: { s, node, path, reader in s[keyPath: field] = reader.oneOf(node, path) ?? s[keyPath: field] },
             show: { $0[keyPath: field].rawValue })
    }
}
