/// Durations as configs and LiteLLM write them: `500ms`, `30s`, `10m`, `1h`, `7d`, `2w`, `1mo`
/// (30 days), or a bare number of seconds. One parser for config keys and key/budget periods.
public enum DurationText {
    static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("mo", 30 * 86_400), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800),
    ]
    /// Longer than any real setting, short enough that milliseconds fit in `Int64`.
    static let maximumSeconds = 1e12

    /// - Returns: nil for text that is not a non-negative, finite duration.
    public static func parse(_ text: String) -> Duration? {
        seconds(text, requiringUnit: false).map { .milliseconds(Int64(($0 * 1000).rounded())) }
    }

    /// Seconds of `text`; with `requiringUnit`, a bare number is not accepted.
    public static func seconds(_ text: String, requiringUnit: Bool) -> Double? {
        var value: Double?
        if let unit = units.first(where: { text.hasSuffix($0.suffix) }) {
            value = Double(text.dropLast(unit.suffix.count)).map { $0 * unit.seconds }
        } else if !requiringUnit {
            value = Double(text)
        }
        guard let value, value >= 0, value <= maximumSeconds else { return nil }
        return value
    }

    /// `30s`, `1500ms`, `2m`, `1h`, `7d`: the largest unit that divides the duration exactly.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        guard milliseconds % 1000 == 0, milliseconds > 0 else { return "\(milliseconds)ms" }
        for (suffix, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(suffix)"
        }
        return "\(seconds)s"
    }
}
