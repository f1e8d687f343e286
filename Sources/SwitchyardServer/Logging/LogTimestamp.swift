import Synchronization
import SwitchyardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log line's time, `2026-12-01T15:56:00.123Z` (RFC 3339, UTC, milliseconds). The text up to the
/// seconds is made once per second (with `CivilDate`, as SigV4's timestamps are) and reused; a line
/// only adds its milliseconds.
enum LogTimestamp {
    private static let cache = Mutex<(second: Int, prefix: [UInt8])>((-1, []))

    static func now() -> [UInt8] {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    static func format(seconds: Int, milliseconds: Int) -> [UInt8] {
        var out = cache.withLock { cache in
            if cache.second != seconds { cache = (seconds, Array(prefix(seconds).utf8)) }
            return cache.prefix
        }
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(milliseconds / 100 % 10))
        out.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        out.append(UInt8(ascii: "Z"))
        return out
    }

    /// `2026-12-01T15:56:00`.
    private static func prefix(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let pad = CivilDate.pad
        return CivilDate(daysSince1970: days).formatted() + "T" + pad(time / 3600, 2) + ":" + pad(time % 3600 / 60, 2) + ":" + pad(time % 60, 2)
    }
}
