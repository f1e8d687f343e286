import NIOCore

/// The CPUs this process may run on, and sizing NIO's threads by them.
///
/// SwiftNIO sizes its singleton event loop group and blocking thread pool by the machine's cores
/// and the cgroup's CPU quota or cpuset, but not by the process's own affinity mask (`taskset`,
/// `numactl`, a supervisor's `CPUAffinity=`). A gateway pinned to one of two cores then ran two
/// event loops that took turns on that core: every hop between them a context switch. In paired
/// runs of the shared bench (gateway pinned to core 0, 32 connections) one loop served 2,454 and
/// 2,525 requests per second against 1,820 and 1,831 with two (docs/performance.md).
public enum CPUAffinity {
    /// How many CPUs the affinity mask allows (`Cpus_allowed` of `/proc/self/status`: the mask
    /// `sched_getaffinity` returns, which Swift's Glibc module does not export), or nil where it
    /// cannot be read.
    public static func allowedCPUs() -> Int? {
        guard let status = ProcFile.read("/proc/self/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return nil }
        return allowedCPUs(mask: line.dropFirst("Cpus_allowed:".count))
    }

    /// The CPUs in a `Cpus_allowed` mask: hexadecimal words separated by commas (`ff,ffffffff`).
    static func allowedCPUs(mask: Substring) -> Int? {
        var count = 0
        var digits = 0
        for byte in mask.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): count += Int(byte - UInt8(ascii: "0")).nonzeroBitCount
            case UInt8(ascii: "a")...UInt8(ascii: "f"): count += Int(byte - UInt8(ascii: "a") + 10).nonzeroBitCount
            case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"): continue
            default: return nil
            }
            digits += 1
        }
        return digits > 0 && count > 0 ? count : nil
    }

    /// The loop count to use: the affinity mask's CPUs when it allows fewer than NIO would take,
    /// nil to leave NIO's choice (no mask, a wider one, or `NIO_SINGLETON_GROUP_LOOP_COUNT` set).
    static func threadCount(allowed: Int?, coreCount: Int, environment: [String: String]) -> Int? {
        guard environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let allowed, allowed < coreCount else { return nil }
        return allowed
    }

    /// Sizes NIO's singleton event loop group and blocking pool by the affinity mask, when it
    /// allows fewer CPUs than NIO counts. Call once, before anything uses NIO's singletons.
    /// - Returns: the count set, or nil when NIO's own choice stands.
    @discardableResult
    public static func sizeSingletonThreads(environment: [String: String]) -> Int? {
        guard let count = threadCount(allowed: allowedCPUs(), coreCount: System.coreCount, environment: environment) else { return nil }
        NIOSingletons.groupLoopCountSuggestion = count
        if environment["NIO_SINGLETON_BLOCKING_POOL_THREAD_COUNT"] == nil {
            NIOSingletons.blockingPoolThreadCountSuggestion = count
        }
        return count
    }
}
