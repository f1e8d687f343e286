// scrub-bench: throughput of the default scrubber on mixed realistic text, and latency on a
// typical chat request. Run in release: `swift run -c release scrub-bench`.
//
// `scrub-bench --once` scrubs the 1 MiB text once and the 4 KiB request 100 times, without
// timing, for instruction counts that a loaded machine does not disturb:
// `valgrind --tool=callgrind .build/release/scrub-bench --once`, then the inclusive cost of
// `scrubLarge` and `scrubRequest` in `callgrind_annotate --inclusive=yes`.
#if canImport(Glibc)
import Glibc
#endif
import SeededRandom
import SwitchyardScrub

let prose = """
    Thanks for the quick reply! I looked at the deployment logs from yesterday and the latency \
    spike lines up with the config change we shipped in version 2.14.3 on 2024-05-01. Could you \
    check whether the retry policy still uses exponential backoff? The customer mentioned that \
    order #48213377 was charged twice, so please review the billing pipeline before Friday.
    """.split(separator: " ").map(String.init)

let code = [
    "```swift\nlet client = HTTPClient(eventLoopGroupProvider: .singleton)\nfor try await chunk in response.body { buffer.writeImmutableBuffer(chunk) }\n```\n",
    "```json\n{\"model\": \"gpt-4o\", \"temperature\": 0.2, \"max_tokens\": 512, \"stream\": true}\n```\n",
    "2024-05-01T10:32:11.123Z INFO request.id=7f3c2a1e-9b4d-4c2e-8f1a-3d2b1c0e9f8a latency_ms=412 status=200\n",
    "| id | name | qty | price |\n|----|------|-----|-------|\n| 17 | widget | 3 | 12.50 |\n| 18 | gadget | 10 | 7.25 |\n",
]

func pii(_ rng: inout SplitMix64) -> String {
    switch rng.int(0...10) {
    case 0: return rng.pick(["jane.doe", "bob", "li.wang", "ahmed_k"]) + "@" + rng.pick(["example.com", "corp.example.org"])
    case 1: return "(\(rng.int(201...989))) \(rng.int(200...999))-\(rng.digits(4))"
    case 2: return "4111 1111 1111 1111"
    case 3: return "\(rng.int(100...599))-\(rng.int(10...99))-\(rng.digits(4))"
    case 4: return "DE89 3704 0044 0532 0130 00"
    case 5: return "10.\(rng.int(0...255)).\(rng.int(0...255)).\(rng.int(1...254))"
    case 6: return "2001:db8::\(rng.int(1...0xffff))"
    case 7: return "AKIAIOSFODNN7EXAMPLE"
    case 8: return "sk-proj-AbC123dEf456GhI789jKl012MnOpQ"
    case 9: return "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    default: return "postgres://app:s3cr3t@db.internal:5432/main"
    }
}

/// Mixed text: prose, code, logs, tables; about one PII value per 600 bytes.
func mixedText(bytes: Int, seed: UInt64) -> String {
    var rng = SplitMix64(seed: seed)
    var text = ""
    text.reserveCapacity(bytes + 1024)
    while text.utf8.count < bytes {
        if rng.int(0...9) == 0 {
            text += rng.pick(code)
        } else {
            for _ in 0..<rng.int(12...40) { text += rng.pick(prose) + " " }
            if rng.int(0...1) == 0 { text += pii(&rng) + " " }
            text += "\n"
        }
    }
    return String(text.utf8.prefix(bytes))!
}

/// Median of `runs` measurements of `body`, in seconds per call, each run doing `iterations` calls.
/// Also the median of the thread's CPU time per call: on a loaded machine the wall clock counts
/// the time other processes held the core, the thread's CPU time does not.
func measure(runs: Int, iterations: Int, _ body: () throws -> Void) rethrows -> (median: Double, min: Double, cpu: Double) {
    var samples: [Double] = []
    var cpuSamples: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<runs {
        let cpuStart = threadCPUSeconds()
        let elapsed = try clock.measure {
            for _ in 0..<iterations { try body() }
        }
        cpuSamples.append((threadCPUSeconds() - cpuStart) / Double(iterations))
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        samples.append(seconds / Double(iterations))
    }
    samples.sort()
    cpuSamples.sort()
    return (samples[samples.count / 2], samples[0], cpuSamples[cpuSamples.count / 2])
}

func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

var sink = 0
let scrubber = try Scrubber(ScrubberSpec())
let big = mixedText(bytes: 1 << 20, seed: 1)
let request = mixedText(bytes: 4096, seed: 2)
let bigFound = try scrubber.scrub(big).detections.reduce(0) { $0 + $1.count }
let requestFound = try scrubber.scrub(request).detections.reduce(0) { $0 + $1.count }

/// One scrub of the 1 MiB text and of the 4 KiB request; not inlined, so that callgrind reports
/// each one's cost on its own (and with different bodies, so that the optimizer does not merge
/// them into one function).
@MainActor @inline(never) func scrubLarge() throws -> Int { try scrubber.scrub(big).output?.utf8.count ?? 0 }
@MainActor @inline(never) func scrubRequest() throws -> Int { try scrubber.scrub(request).detections.count }

if CommandLine.arguments.contains("--once") {
    sink &+= try scrubLarge()
    for _ in 0..<100 { sink &+= try scrubRequest() }
    print("scrubbed 1 MiB once (\(bigFound) values) and the 4 KiB request 100 times (\(requestFound) values)")
} else {
    try timeEveryCase()
}
if sink == 42 { print("(unlikely checksum)") }  // keeps the optimizer from dropping the work

/// Median and best of every case, printed as a table.
@MainActor func timeEveryCase() throws {
    // Warm up (JIT pages, caches).
    for _ in 0..<3 { sink &+= try scrubLarge() }

    let throughput = try measure(runs: 9, iterations: 10) { sink &+= try scrubLarge() }
    let latency = try measure(runs: 9, iterations: 5000) { sink &+= try scrubRequest() }
    let streamRuns = CommandLine.arguments.contains("--no-stream") ? 1 : 5
    let streamTime = try measure(runs: streamRuns, iterations: 1) {
        var stream = scrubber.stream()
        let utf8 = Array(big.utf8)
        var offset = 0
        while offset < utf8.count {
            let end = min(utf8.count, offset + 24)
            sink &+= try stream.feed(utf8: Array(utf8[offset..<end])).output?.count ?? 0
            offset = end
        }
        sink &+= try stream.finishUTF8().output?.count ?? 0
    }

    let megabytes = Double(big.utf8.count) / 1_000_000
    print("scrub-bench — default detector set (\(scrubber.detectors.count) detectors), JIT: \(PCRERegex.isJITAvailable)")
    print("")
    print("case                                   median        best    median CPU time")
    print("1 MiB mixed text (\(bigFound) values)       \(fmt(megabytes / throughput.median)) MB/s  \(fmt(megabytes / throughput.min)) MB/s  \(fmt(megabytes / throughput.cpu)) MB/s")
    print("4 KiB chat request (\(requestFound) values)      \(fmt(latency.median * 1e6)) µs     \(fmt(latency.min * 1e6)) µs     \(fmt(latency.cpu * 1e6)) µs")
    print("1 MiB streamed in 24-byte deltas      \(fmt(megabytes / streamTime.median)) MB/s  \(fmt(megabytes / streamTime.min)) MB/s  \(fmt(megabytes / streamTime.cpu)) MB/s")
    print("")
}

func fmt(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    let text = "\(rounded)"
    return String(repeating: " ", count: max(0, 7 - text.count)) + text
}
