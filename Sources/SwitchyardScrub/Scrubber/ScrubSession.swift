import Synchronization

/// The per-request vault of the `tokenize` action.
///
/// Scrubbing the request replaces each value with a placeholder (`<EMAIL_1>`) and remembers it
/// here; the same value (of the same type) always gets the same placeholder. Scrubbing the
/// response (or ``restore(_:)``) puts the originals back. Create one per request and drop it
/// with the request: values live only in memory, for that long.
public final class ScrubSession: Sendable {
    private struct Vault {
        var placeholderByValue: [[UInt8]: [UInt8]] = [:]
        var valueByPlaceholder: [[UInt8]: [UInt8]] = [:]
        var counters: [String: Int] = [:]
    }

    private let vault = Mutex(Vault())

    public init() {}

    /// Number of distinct values tokenized so far.
    public var count: Int { vault.withLock { $0.valueByPlaceholder.count } }

    /// The placeholder for `value` of type `label`, minting `<LABEL_n>` on first sight.
    func placeholder(for value: UnsafeBufferPointer<UInt8>, label: String) -> [UInt8] {
        var key = Array(label.utf8)
        key.append(0)
        key.append(contentsOf: value)
        return vault.withLock { vault in
            if let existing = vault.placeholderByValue[key] { return existing }
            let number = (vault.counters[label] ?? 0) + 1
            vault.counters[label] = number
            let placeholder = Array("<\(label)_\(number)>".utf8)
            vault.placeholderByValue[key] = placeholder
            vault.valueByPlaceholder[placeholder] = Array(value)
            return placeholder
        }
    }

    /// The original value of a placeholder (including `<` and `>`), if this session minted it.
    func original(of placeholder: ArraySlice<UInt8>) -> [UInt8]? {
        vault.withLock { $0.valueByPlaceholder[Array(placeholder)] }
    }

    /// Puts the originals back into `text`: every `<LABEL_n>` this session minted is replaced.
    /// Placeholders the model rewrote (`EMAIL_1`, `<email_1>`) are left as they are.
    public func restore(_ text: String) -> String {
        guard count > 0 else { return text }
        let restored = withUTF8(text) { restore(utf8: $0) }
        return restored.map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// Byte form of ``restore(_:)``; `nil` when nothing was replaced.
    func restore(utf8 text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "<"),
                  let end = Self.placeholderEnd(in: text, from: index),
                  let original = original(of: ArraySlice(text[index..<end])) else {
                index += 1
                continue
            }
            if output.isEmpty { output.reserveCapacity(text.count + 64) }
            output.append(contentsOf: text[copied..<index])
            output.append(contentsOf: original)
            index = end
            copied = end
        }
        guard copied > 0 else { return nil }
        output.append(contentsOf: text[copied...])
        return output
    }

    /// If `text[start...]` starts with `<LABEL_n>` (`LABEL` = `[A-Z][A-Z0-9_]*`), the offset
    /// after `>`.
    static func placeholderEnd(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let limit = min(text.count, start + 80)
        var index = start + 1
        guard index < limit, text[index] >= 0x41, text[index] <= 0x5A else { return nil }
        var lastUnderscore = -1
        while index < limit {
            let byte = text[index]
            if byte == UInt8(ascii: ">") {
                // Needs `_` followed by at least one digit, and only digits after it.
                guard lastUnderscore > start, index > lastUnderscore + 1 else { return nil }
                for digit in text[(lastUnderscore + 1)..<index] where digit < 0x30 || digit > 0x39 {
                    return nil
                }
                return index + 1
            }
            if byte == UInt8(ascii: "_") {
                lastUnderscore = index
            } else if !((byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)) {
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Length of the longest suffix of `text` that could still grow into a placeholder
    /// (`<`, `<EMA`, `<EMAIL_1`), held back by streaming restore.
    static func placeholderPrefixSuffix(in text: UnsafeBufferPointer<UInt8>) -> Int {
        let limit = max(0, text.count - 80)
        var index = text.count
        while index > limit {
            index -= 1
            let byte = text[index]
            if byte == UInt8(ascii: "<") { return text.count - index }
            let allowed = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
            if !allowed { return 0 }
        }
        return 0
    }
}
