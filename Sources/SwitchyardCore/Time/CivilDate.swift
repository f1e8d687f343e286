/// A UTC calendar day, computed from days since 1970-01-01 without Foundation's calendar
/// (Howard Hinnant's `civil_from_days`): SigV4 timestamps, log line times and spend-report days
/// use it.
public struct CivilDate: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(daysSince1970 days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `YYYY-MM-DD`, or `YYYYMMDD` without a separator.
    public func formatted(separator: String = "-") -> String {
        [Self.pad(year, 4), Self.pad(month, 2), Self.pad(day, 2)].joined(separator: separator)
    }

    /// A UTC time to the second, `YYYY-MM-DDTHH:MM:SS` (log lines), or `YYYYMMDDTHHMMSS` with
    /// both separators empty (SigV4).
    public static func timestamp(secondsSince1970 seconds: Int, dateSeparator: String = "-", timeSeparator: String = ":") -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        return CivilDate(daysSince1970: days).formatted(separator: dateSeparator) + "T"
            + [pad(time / 3600, 2), pad(time % 3600 / 60, 2), pad(time % 60, 2)].joined(separator: timeSeparator)
    }

    public static func pad(_ n: Int, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - String(n).count)) + String(n)
    }
}
