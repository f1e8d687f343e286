#if !FUZZING
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SeededRandom

/// Without libFuzzer (the default build): a deterministic mutation fuzzer. Inputs are the
/// committed corpus (`Fuzz/corpus/<target>/`) mutated by a seeded generator — bit flips, byte
/// insertions and deletions, splices of two corpus entries, repeated runs, and tokens each format
/// cares about — so a failing input is found again from its seed and index.
///
///     switchyard-fuzz [--runs N] [--seed S] [target…]
///     switchyard-fuzz --replay FILE TARGET
@main
struct MutationDriver {
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", "\\", "\\u", "\\ud800", ":", ",", "null", "true", "-0", "1e999", "0.0000001",
        "data: ", "event: ", "\n", "\r\n", "\n\n", "[DONE]", "model", "messages", "stream", "content",
        "- ", "  ", "&a", "*a", "!!", "%", "${", "os.environ/", "model_list:", "providers:", "pipelines:",
    ].map { Array($0.utf8) }

    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var runs = 1_000_000
        var seed: UInt64 = 1
        var targets: [FuzzTarget] = []
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--runs": runs = Int(arguments.removeFirst()) ?? runs
            case "--seed": seed = UInt64(arguments.removeFirst()) ?? seed
            case "--replay":
                let file = arguments.removeFirst()
                guard let target = arguments.first.flatMap(FuzzTarget.init(rawValue:)), let data = FileManager.default.contents(atPath: file) else {
                    print("usage: switchyard-fuzz --replay FILE TARGET")
                    exit(2)
                }
                print("replaying \(data.count) bytes on \(target.rawValue)")
                Array(data).withUnsafeBytes { target.run($0) }
                print("no crash")
                return
            default:
                guard let target = FuzzTarget(rawValue: argument) else {
                    print("unknown target \(argument); targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
                    exit(2)
                }
                targets.append(target)
            }
        }
        for target in targets.isEmpty ? FuzzTarget.allCases : targets {
            CrashInput.arm(file: "fuzz-crash-\(target.rawValue)-seed\(seed).bin")
            let corpus = loadCorpus(target)
            var random = SplitMix64(seed: seed)
            let started = ContinuousClock.now
            for _ in 0..<runs {
                var input = random.pick(corpus)
                for _ in 0..<random.int(1...4) { mutate(&input, corpus: corpus, random: &random) }
                input.withUnsafeBytes { bytes in
                    CrashInput.current = bytes
                    target.run(bytes)
                }
            }
            let elapsed = ContinuousClock.now - started
            print("\(target.rawValue): \(runs) inputs from \(corpus.count) corpus entries, 0 crashes, \(elapsed) (seed \(seed))")
        }
    }

    /// Writes the input being run to a file when the process traps, so a crash can be replayed
    /// (`switchyard-fuzz --replay FILE TARGET`) and added to the corpus.
    enum CrashInput {
        nonisolated(unsafe) static var current: UnsafeRawBufferPointer?
        nonisolated(unsafe) static var path: [CChar] = []

        static func arm(file: String) {
            path = Array(file.utf8CString)
            for signal in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT] {
                _ = Glibc.signal(signal) { number in
                    if let bytes = CrashInput.current, let base = bytes.baseAddress {
                        let fd = CrashInput.path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
                        if fd >= 0 {
                            _ = write(fd, base, bytes.count)
                            close(fd)
                        }
                    }
                    _ = Glibc.signal(number, SIG_DFL)
                    raise(number)
                }
            }
        }
    }

    static func loadCorpus(_ target: FuzzTarget) -> [[UInt8]] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus/\(target.rawValue)")
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        let entries = files.sorted { $0.path < $1.path }.compactMap { try? Data(contentsOf: $0) }.map { Array($0) }
        return entries.isEmpty ? [[]] : entries
    }

    static func mutate(_ input: inout [UInt8], corpus: [[UInt8]], random: inout SplitMix64) {
        let position = input.isEmpty ? 0 : random.int(0...input.count)
        switch random.int(0...6) {
        case 0 where !input.isEmpty:
            let i = random.int(0...(input.count - 1))
            input[i] ^= UInt8(1 << random.int(0...7))
        case 1:
            input.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 2 where !input.isEmpty:
            let i = random.int(0...(input.count - 1))
            input.removeSubrange(i..<min(input.count, i + random.int(1...8)))
        case 3:
            let other = random.pick(corpus)
            guard !other.isEmpty else { return }
            let start = random.int(0...(other.count - 1))
            input.insert(contentsOf: other[start..<min(other.count, start + random.int(1...64))], at: position)
        case 4 where !input.isEmpty:
            // Repeat a slice: deep nesting and long runs.
            let start = random.int(0...(input.count - 1))
            let slice = input[start..<min(input.count, start + random.int(1...4))]
            input.insert(contentsOf: Array(repeating: Array(slice), count: random.int(2...64)).joined(), at: start)
        default:
            input.insert(contentsOf: random.pick(tokens), at: position)
        }
        if input.count > 64 * 1024 { input.removeLast(input.count - 64 * 1024) }
    }
}
#endif
