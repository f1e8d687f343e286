import Crypto

extension Scrubber {
    /// Appends the replacement of `value` (found by `detector`) according to its action.
    func appendReplacement(
        for value: UnsafeBufferPointer<UInt8>, detector: Int, session: ScrubSession,
        into output: inout [UInt8]
    ) {
        switch actions[detector] {
        case .redact, .block:
            output.append(contentsOf: replacements[detector])
        case .mask:
            Scrubber.appendMask(of: value, style: detectors[detector].maskStyle, into: &output)
        case .hash:
            let label = detectors[detector].label
            output.append(contentsOf: "[\(label):".utf8)
            if let hashKey {
                let mac = HMAC<SHA256>.authenticationCode(for: value, using: SymmetricKey(data: hashKey))
                for byte in mac.prefix(4) {
                    output.append(Scrubber.hexDigits[Int(byte >> 4)])
                    output.append(Scrubber.hexDigits[Int(byte & 0x0F)])
                }
            }
            output.append(UInt8(ascii: "]"))
        case .tokenize:
            output.append(contentsOf: session.placeholder(for: value, label: detectors[detector].label))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let star = UInt8(ascii: "*")

    /// A masked rendering that keeps a hint but not the value.
    static func appendMask(of value: UnsafeBufferPointer<UInt8>, style: Detector.MaskStyle, into output: inout [UInt8]) {
        switch style {
        case .email:
            // j***@e******.com: first character of the local part and of each domain label but
            // the last; the top-level domain is kept.
            guard let at = value.firstIndex(of: UInt8(ascii: "@")) else { return appendStars(value.count, into: &output) }
            appendInitial(value[0..<at], into: &output)
            output.append(UInt8(ascii: "@"))
            let domain = value[(at + 1)...]
            let lastDot = domain.lastIndex(of: UInt8(ascii: ".")) ?? value.endIndex
            var labelStart = at + 1
            for index in (at + 1)..<lastDot where value[index] == UInt8(ascii: ".") {
                appendInitial(value[labelStart..<index], into: &output)
                output.append(UInt8(ascii: "."))
                labelStart = index + 1
            }
            appendInitial(value[labelStart..<lastDot], into: &output)
            output.append(contentsOf: value[lastDot...])
        case .lastFour:
            // ****-****-****-1234: every letter or digit but the last four becomes `*`;
            // separators stay.
            var keep = 4
            var masked = [UInt8](value)
            for index in masked.indices.reversed() where isWordByte(masked[index]) {
                if keep > 0 { keep -= 1 } else { masked[index] = star }
            }
            if value.count <= 4 { masked = [UInt8](repeating: star, count: value.count) }
            output.append(contentsOf: masked)
        case .secretPrefix:
            // sk-proj-****, AKIA****: the well-known prefix (through the last `-`/`_` in the
            // first 12 bytes, else 4 bytes), then a fixed `****` that hides the length.
            var prefixEnd = min(4, value.count / 4)
            for index in 0..<min(12, value.count) where value[index] == 0x2D || value[index] == 0x5F {
                prefixEnd = index + 1
            }
            output.append(contentsOf: value[0..<prefixEnd])
            output.append(contentsOf: [star, star, star, star])
        case .ipv4:
            // 192.168.*.*: the first two octets; the others become one `*` each.
            guard !value.contains(UInt8(ascii: ":")) else { return appendMask(of: value, style: .ipv6, into: &output) }
            var dots = 0
            for byte in value {
                if byte == UInt8(ascii: ".") {
                    dots += 1
                    output.append(byte)
                    if dots >= 2 { output.append(star) }
                } else if dots < 2 {
                    output.append(byte)
                }
            }
        case .ipv6:
            // 2001:db8:* — the first two groups (the network prefix's start).
            var colons = 0
            for byte in value {
                if byte == UInt8(ascii: ":") { colons += 1 }
                output.append(byte)
                if colons == 2 { break }
            }
            output.append(star)
        case .credentials:
            // u***:****
            let colon = value.firstIndex(of: UInt8(ascii: ":")) ?? value.endIndex
            appendInitial(value[0..<colon], into: &output)
            output.append(contentsOf: Array(":****".utf8))
        }
    }

    private static func appendInitial(_ part: Slice<UnsafeBufferPointer<UInt8>>, into output: inout [UInt8]) {
        guard let first = part.first else { return }
        output.append(first)
        appendStars(part.count - 1, into: &output)
    }

    private static func appendStars(_ count: Int, into output: inout [UInt8]) {
        if count > 0 { output.append(contentsOf: repeatElement(star, count: count)) }
    }

}
