import Crypto

/// Virtual keys: `sk-` and 32 random bytes (256 bits) in URL-safe base64, stored only as the
/// SHA-256 hex of the whole key — LiteLLM's hash, so keys move between the two.
public enum VirtualKey {
    /// A new key from the system's cryptographic random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return "sk-" + base64URL(bytes)
    }

    /// SHA-256 hex of the key's UTF-8 bytes.
    public static func hash(_ key: String) -> String {
        let digest = SHA256.hash(data: Array(key.utf8))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// What may be shown of a key: `sk-...` and its last four characters.
    public static func displayName(_ key: String) -> String {
        "sk-...\(key.suffix(4))"
    }

    /// Management calls name a key by the key itself or by its hash (as LiteLLM accepts both).
    public static func token(forReference reference: String) -> String {
        let isHash = reference.utf8.count == 64 && reference.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        return isHash ? reference : hash(reference)
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            var n = UInt32(bytes[i]) << 16
            if rest == 2 { n |= UInt32(bytes[i + 1]) << 8 }
            for shift in [18, 12, 6].prefix(rest + 1) { out.append(alphabet[Int((n >> UInt32(shift)) & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
