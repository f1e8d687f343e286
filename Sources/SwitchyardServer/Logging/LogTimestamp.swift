import Synchronization
import SwitchyardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log line's time, `2026-12-01T15:56:00.123Z` (RFC 3339, UTC, milliseconds). The text up to the
/// seconds (`CivilDate.timestamp`, as SigV4's) is made once per second and reused; a line only adds
/// its milliseconds.
enum LogTimestamp {
    private static let cache = Mutex<(second: Int, prefix: [UInt8])>((-1, []))

    static func now() -> [UInt8] {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    static func format(seconds: Int, milliseconds: Int) -> [UInt8] {
        var out = cache.withLock { cache in
            if cache.second != seconds { cache = (seconds, Array(CivilDate.timestamp(secondsSince1970: seconds).utf8)) }
            return cache.prefix
        }
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(milliseconds / 100 % 10))
        out.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        out.append(UInt8(ascii: "Z"))
        return out
    }
}
