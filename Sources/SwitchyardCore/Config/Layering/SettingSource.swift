/// Where the effective value of a layered setting (`server.port`) came from. Precedence, lowest
/// first: built-in default, the file, an environment variable, a command-line flag.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case builtIn
    /// Written in the file at this position.
    case file(String, line: Int, column: Int)
    /// `SWITCHYARD_<SECTION>_<KEY>`.
    case environment(String)
    /// `--set section.key=value` or a dedicated flag (`--port`), as written.
    case flag(String)

    /// `default`, `file:line:column`, `env NAME` or `flag --name`.
    public var description: String {
        switch self {
        case .builtIn: "default"
        case .file(let file, let line, let column): "\(file):\(line):\(column)"
        case .environment(let name): "env \(name)"
        case .flag(let flag): "flag \(flag)"
        }
    }

    /// `default`, `file`, `env` or `flag` (the `config show --format json` field `source`).
    public var kind: String {
        switch self {
        case .builtIn: "default"
        case .file: "file"
        case .environment: "env"
        case .flag: "flag"
        }
    }
}
