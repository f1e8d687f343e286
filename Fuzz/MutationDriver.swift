#if !FUZZING
import Foundation
import SeededRandom

/// Without libFuzzer (the default build): a deterministic mutation fuzzer. Inputs are the
/// committed corpus (`Fuzz/corpus/<target>/`) mutated by a seeded generator — bit flips, byte
/// insertions and deletions, splices of two corpus entries, repeated runs, and tokens each format
/// cares about — so a failing input is found again from its seed and index.
///
///     switchyard-fuzz [--runs N] [--seed S] [target…]
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
            default:
                guard let target = FuzzTarget(rawValue: argument) else {
                    print("unknown target \(argument); targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
                    exit(2)
                }
                targets.append(target)
            }
        }
        for target in targets.isEmpty ? FuzzTarget.allCases : targets {
            let corpus = loadCorpus(target)
            var random = SplitMix64(seed: seed)
            let started = ContinuousClock.now
            for _ in 0..<runs {
                var input = random.pick(corpus)
                for _ in 0..<random.int(1...4) { mutate(&input, corpus: corpus, random: &random) }
                input.withUnsafeBytes { target.run($0) }
            }
            let elapsed = ContinuousClock.now - started
            print("\(target.rawValue): \(runs) inputs from \(corpus.count) corpus entries, 0 crashes, \(elapsed) (seed \(seed))")
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
