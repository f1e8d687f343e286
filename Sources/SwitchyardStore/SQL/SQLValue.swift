/// A value bound to a query parameter or read from a column. Both backends speak these four
/// kinds; booleans are integers (0/1) and times are seconds since 1970 (DOUBLE PRECISION) so
/// one schema and one set of statements serve SQLite and PostgreSQL.
public enum SQLValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case double(Double)
    case null

    public init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .int($0) } ?? .null }
    public init(_ value: Double?) { self = value.map { .double($0) } ?? .null }
    public init(_ flag: Bool) { self = .int(flag ? 1 : 0) }

    public var text: String? {
        switch self {
        case .text(let text): text
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .null: nil
        }
    }

    public var int: Int? {
        switch self {
        case .int(let value): value
        case .double(let value): Int(exactly: value.rounded()) ?? nil
        case .text(let text): Int(text)
        case .null: nil
        }
    }

    public var double: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        case .text(let text): Double(text)
        case .null: nil
        }
    }
}

/// One result row, by column name (lower-cased by neither backend: the schema's names are).
public struct SQLRow: Sendable {
    public var values: [String: SQLValue]

    public init(_ values: [String: SQLValue]) { self.values = values }

    public subscript(_ column: String) -> SQLValue { values[column] ?? .null }
}
