import Foundation

/// How `config show` hides secrets.
enum Redaction {
    static let placeholder = "<redacted>"

    /// `postgres://user:<redacted>@host/db` for `postgres://user:secret@host/db`; a URL without a
    /// password is unchanged.
    static func urlPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<authority.index(after: colon)]) + placeholder + String(url[at...])
    }
}
