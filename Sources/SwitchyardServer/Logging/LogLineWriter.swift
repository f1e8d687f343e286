public import CoreMetrics
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes log lines to a file descriptor from its own thread, so a slow or blocked stdout never
/// holds up a request: callers append to a bounded buffer and return; when the buffer is full the
/// line is dropped and counted (`switchyard_log_lines_dropped_total`).
public final class LogLineWriter: Sendable {
    private let queue = LineQueue()
    private let capacity: Int
    private let dropped: Counter
    /// Lines dropped so far because the buffer was full.
    public var droppedCount: Int { droppedLines.load(ordering: .relaxed) }
    private let droppedLines = Atomic<Int>(0)

    /// - Parameters:
    ///   - fileDescriptor: where lines go (1: standard output).
    ///   - capacity: lines held while the descriptor is not writable; more are dropped.
    ///   - metrics: where the dropped-lines counter is created.
    public init(fileDescriptor: Int32 = 1, capacity: Int = 10_000, metrics: any MetricsFactory = MetricsSystem.factory) {
        self.capacity = capacity
        self.dropped = Counter(label: "switchyard_log_lines_dropped_total", dimensions: [], factory: metrics)
        let thread = Thread { [queue] in Self.drain(queue, fileDescriptor: fileDescriptor) }
        thread.name = "switchyard-log"
        thread.start()
    }

    /// Queues one line (without its newline); never blocks on the descriptor.
    public func write(_ line: String) {
        let (accepted, wake) = queue.state.withLock { state in
            guard state.lines.count < capacity else { return (false, false) }
            state.lines.append(line)
            state.enqueued += 1
            defer { state.idle = false }
            return (true, state.idle)
        }
        // The writer is woken only when it sleeps: one wake-up per batch, not per line.
        if wake { queue.wakeup.signal() }
        if !accepted {
            droppedLines.wrappingAdd(1, ordering: .relaxed)
            dropped.increment()
        }
    }

    /// Waits (up to `timeout`) until every queued line is written. For shutdown and tests; it
    /// blocks the calling thread, so never call it on an event loop.
    public func flush(timeout: Duration = .seconds(5)) {
        let deadline = ContinuousClock.now + timeout
        while queue.state.withLock({ $0.written < $0.enqueued }), ContinuousClock.now < deadline {
            usleep(1000)
        }
    }

    /// Writes what is queued and ends the writer thread.
    public func shutdown() {
        flush()
        let wake = queue.state.withLock { state in
            state.stopping = true
            defer { state.idle = false }
            return state.idle
        }
        if wake { queue.wakeup.signal() }
    }

    private static func drain(_ queue: LineQueue, fileDescriptor: Int32) {
        var bytes: [UInt8] = []
        while true {
            let (batch, stopping) = queue.state.withLock { state in
                if state.lines.isEmpty, !state.stopping { state.idle = true }
                defer { state.lines.removeAll(keepingCapacity: true) }
                return (state.lines, state.stopping)
            }
            if batch.isEmpty, !stopping {
                queue.wakeup.wait()
                continue
            }
            if !batch.isEmpty {
                bytes.removeAll(keepingCapacity: true)
                for line in batch {
                    bytes.append(contentsOf: line.utf8)
                    bytes.append(UInt8(ascii: "\n"))
                }
                writeAll(bytes, to: fileDescriptor)
                queue.state.withLock { $0.written += batch.count }
            }
            if stopping { return }
        }
    }

    /// Writes every byte, retrying partial writes and interrupts; gives up on any other error
    /// (a closed descriptor must not stop the process).
    private static func writeAll(_ bytes: [UInt8], to fileDescriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// The lines waiting for the writer thread, and the semaphore that wakes it.
private final class LineQueue: Sendable {
    struct State {
        var lines: [String] = []
        var enqueued = 0
        var written = 0
        var stopping = false
        /// The writer thread is waiting (or about to) on `wakeup`.
        var idle = false
    }

    let state = Mutex(State())
    let wakeup = DispatchSemaphore(value: 0)
}

private func systemWrite(_ fileDescriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fileDescriptor, bytes, count)
    #else
    Darwin.write(fileDescriptor, bytes, count)
    #endif
}
