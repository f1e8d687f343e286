#if os(Linux)
import CMalloc
import Glibc
#endif
public import ServiceLifecycle

/// Hands memory that glibc's allocator keeps after a burst back to the kernel.
///
/// glibc returns freed memory to the kernel only from the top of each arena; what thousands of
/// finished streams freed in the middle stays resident (2,000 streams left 199 MiB resident of a
/// 210 MiB peak, 25 s after they ended). Every `interval` this compares the resident set with its
/// baseline (the lowest it has been); when it is more than `threshold` above it and the arenas
/// hold more than `threshold` free (`mallinfo2`), `malloc_trim(0)` releases the free pages of
/// every arena. A trim that releases less than `threshold` means the working set grew: the
/// baseline moves up to it, so steady traffic is not trimmed again and again. A trim walks the
/// arenas under their locks (milliseconds), at most once per interval.
public struct MemoryTrim: Service {
    var interval: Duration
    var threshold: Int

    public init(interval: Duration = .seconds(10), threshold: Int = 8 << 20) {
        self.interval = interval
        self.threshold = threshold
    }

    public func run() async throws {
        // Ends quietly when the drain starts, like ConfigWatch.
        try? await cancelWhenGracefulShutdown {
            var baseline = Self.residentBytes()
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let resident = Self.residentBytes()
                guard Self.shouldTrim(resident: resident, baseline: baseline, free: Self.freeBytes(), threshold: threshold) else {
                    baseline = min(baseline, resident)
                    continue
                }
                Self.trim()
                baseline = Self.baseline(after: Self.residentBytes(), before: resident, baseline: baseline, threshold: threshold)
            }
        }
    }

    /// Whether the resident set is more than `threshold` above `baseline` while the allocator
    /// holds more than `threshold` free.
    static func shouldTrim(resident: Int, baseline: Int, free: Int, threshold: Int) -> Bool {
        resident - baseline > threshold && free > threshold
    }

    /// The baseline after a trim: unchanged when the trim released at least `threshold` (a burst
    /// is ending; more may follow), the resident set now when it released less (the working set).
    static func baseline(after: Int, before: Int, baseline: Int, threshold: Int) -> Int {
        before - after >= threshold ? baseline : after
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
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = fread(&buffer, 1, buffer.count, file)
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 0
        #endif
    }
}
