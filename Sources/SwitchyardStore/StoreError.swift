/// A store failure. `Code` says what kind, so callers decide by type (503 for an unreachable
/// database, 400 for a bad value), never by message text.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case invalidURL, unavailable, migrationFailed, invalidValue, notFound, conflict }
        private let value: Value
        public static let invalidURL = Code(value: .invalidURL)
        /// The database did not answer (down, refused, timed out).
        public static let unavailable = Code(value: .unavailable)
        public static let migrationFailed = Code(value: .migrationFailed)
        /// A value the store cannot hold (for example a NUL character in an alias).
        public static let invalidValue = Code(value: .invalidValue)
        public static let notFound = Code(value: .notFound)
        /// A row with that id exists already.
        public static let conflict = Code(value: .conflict)
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
