#if os(Linux)
import CMalloc
import Glibc
#endif
public import ServiceLifecycle

/// Hands memory that glibc's allocator keeps after a burst back to the kernel.
///
/// glibc returns freed memory to the kernel only from the top of each arena; what thousands of
/// finished streams freed in the middle stays resident (2,000 streams left 199 MiB resident of a
/// 210 MiB peak, 25 s after they ended). Every `interval` this looks at the resident set and the
/// arenas' free bytes (`mallinfo2`): when more than `threshold` is free and either moved by more
/// than `movement` since the last trim, `malloc_trim(0)` releases the free pages of every arena.
/// An idle process is not trimmed again and again; one under changing load at most once per
/// interval (a walk of the arenas under their locks: milliseconds).
public struct MemoryTrim: Service {
    var interval: Duration
    var threshold: Int
    var movement: Int

    public init(interval: Duration = .seconds(10), threshold: Int = 8 << 20, movement: Int = 1 << 20) {
        self.interval = interval
        self.threshold = threshold
        self.movement = movement
    }

    public func run() async throws {
        // Ends quietly when the drain starts, like ConfigWatch.
        try? await cancelWhenGracefulShutdown {
            var last = Sample(resident: Self.residentBytes(), free: Self.freeBytes())
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let now = Sample(resident: Self.residentBytes(), free: Self.freeBytes())
                if Self.shouldTrim(now, afterLastTrim: last, threshold: threshold, movement: movement) {
                    Self.trim()
                    last = Sample(resident: Self.residentBytes(), free: Self.freeBytes())
                }
            }
        }
    }

    /// The resident set and the allocator's free bytes at one moment.
    struct Sample {
        var resident: Int
        var free: Int
    }

    /// Whether to trim: the allocator holds more than `threshold` free, and since the last trim
    /// the resident set or the free bytes moved by more than `movement` (either way: the
    /// resident set also falls when a burst ends, and a burst that ends just after a trim frees
    /// in the middle of the arenas without moving it).
    static func shouldTrim(_ now: Sample, afterLastTrim last: Sample, threshold: Int, movement: Int) -> Bool {
        now.free > threshold && (abs(now.resident - last.resident) > movement || abs(now.free - last.free) > movement)
    }

    static func trim() {
        #if os(Linux)
        _ = malloc_trim(0)
        #endif
    }

    /// Free bytes held in the allocator's arenas.
    static func freeBytes() -> Int {
        #if os(Linux)
        return Int(mallinfo2().fordblks)
        #else
        return 0
        #endif
    }

    /// The process's resident set (`/proc/self/statm`, second field, in pages).
    static func residentBytes() -> Int {
        #if os(Linux)
        guard let statm = ProcFile.read("/proc/self/statm") else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }
}
