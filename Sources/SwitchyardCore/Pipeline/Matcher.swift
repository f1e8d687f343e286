import SwitchyardScrub

/// One comparison in a condition: `{gt: 1000}`, `{in: [a, b]}`, `"gpt-4*"`, `{regex: ...}`.
public enum Matcher: Sendable {
    case eq(FieldValue)
    case ne(FieldValue)
    case oneOf([FieldValue])
    case noneOf([FieldValue])
    case gt(Double)
    case gte(Double)
    case lt(Double)
    case lte(Double)
    case glob(Glob)
    case regex(PCRERegex)
    case exists(Bool)
    /// Several operators in one mapping: all must hold.
    case all([Matcher])

    /// Operator spellings; Portkey's `$`-prefixed forms are accepted too.
    static let operators = ["eq", "ne", "in", "not_in", "nin", "gt", "gte", "lt", "lte", "regex", "glob", "exists"]

    func matches(_ value: FieldValue) -> Bool {
        switch self {
        case .eq(let operand): return value.equals(operand)
        case .ne(let operand): return !value.equals(operand)
        case .oneOf(let operands): return operands.contains { value.equals($0) }
        case .noneOf(let operands): return !operands.contains { value.equals($0) }
        case .gt(let bound): return value.number.map { $0 > bound } ?? false
        case .gte(let bound): return value.number.map { $0 >= bound } ?? false
        case .lt(let bound): return value.number.map { $0 < bound } ?? false
        case .lte(let bound): return value.number.map { $0 <= bound } ?? false
        case .glob(let glob): return value.text.map(glob.matches) ?? false
        case .regex(let regex):
            // A pattern that exceeds its backtracking bound does not match (fails closed).
            return value.text.map { (try? regex.isMatch(in: $0)) ?? false } ?? false
        case .exists(let expected):
            let present = value != .missing && value != .null
            return present == expected
        case .all(let matchers):
            for matcher in matchers where !matcher.matches(value) { return false }
            return true
        }
    }

    var summary: String {
        switch self {
        case .eq(let v): "= \(v.summary)"
        case .ne(let v): "!= \(v.summary)"
        case .oneOf(let vs): "in [\(vs.map(\.summary).joined(separator: ", "))]"
        case .noneOf(let vs): "not in [\(vs.map(\.summary).joined(separator: ", "))]"
        case .gt(let n): "> \(FieldValue.number(n).summary)"
        case .gte(let n): ">= \(FieldValue.number(n).summary)"
        case .lt(let n): "< \(FieldValue.number(n).summary)"
        case .lte(let n): "<= \(FieldValue.number(n).summary)"
        case .glob(let g): "~ \(g.pattern)"
        case .regex(let r): "=~ /\(r.pattern)/"
        case .exists(let e): e ? "exists" : "is absent"
        case .all(let ms): ms.map(\.summary).joined(separator: " and ")
        }
    }
}

/// A shell-style pattern: `*` matches any run of characters, `?` one character.
public final class Glob: Sendable {
    public let pattern: String
    private let parts: [[UInt8]]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool
    private let hasQuestionMark: Bool
    private let bytes: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.bytes = Array(pattern.utf8)
        self.hasQuestionMark = pattern.contains("?")
        self.parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map { Array($0.utf8) }
        self.anchoredStart = !pattern.hasPrefix("*")
        self.anchoredEnd = !pattern.hasSuffix("*")
    }

    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(bytes: $0) }
    }

    private func matches(bytes subject: UnsafeBufferPointer<UInt8>) -> Bool {
        if hasQuestionMark { return Self.wildcard(bytes[...], Array(subject)[...]) }
        // Fast path without `?`: the literal pieces must appear in order.
        var position = 0
        for (i, part) in parts.enumerated() {
            if part.isEmpty { continue }
            if i == 0 && anchoredStart {
                guard subject.count >= part.count, subject.prefix(part.count).elementsEqual(part) else { return false }
                position = part.count
            } else if i == parts.count - 1 && anchoredEnd {
                guard subject.count - position >= part.count, subject.suffix(part.count).elementsEqual(part) else { return false }
                position = subject.count
            } else {
                guard let found = Self.find(part, in: subject, from: position) else { return false }
                position = found + part.count
            }
        }
        return parts.count > 1 || position == subject.count
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard needle.count <= haystack.count - start else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Backtracking match for patterns with `?` (rare).
    private static func wildcard(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        guard let first = p.first else { return s.isEmpty }
        if first == UInt8(ascii: "*") {
            var rest = s
            while true {
                if wildcard(p.dropFirst(), rest) { return true }
                if rest.isEmpty { return false }
                rest = rest.dropFirst()
            }
        }
        guard let c = s.first else { return false }
        return (first == UInt8(ascii: "?") || first == c) && wildcard(p.dropFirst(), s.dropFirst())
    }
}
