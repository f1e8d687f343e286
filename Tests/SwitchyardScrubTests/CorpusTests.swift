import SeededRandom
import Testing
@testable import SwitchyardScrub

@Suite("Labelled corpus")
struct CorpusTests {
    static let messageCount = 4000

    struct Tally {
        var total = 0
        var hits = 0
    }

    @Test("recall ≥ 99% and false positives ≤ 1% over thousands of generated messages")
    func recallAndPrecision() throws {
        let scrubber = try Scrubber(ScrubberSpec())
        var rng = SplitMix64(seed: 0x5EED_2024)
        var recall: [String: Tally] = [:]
        var lookalikes: [String: Tally] = [:]
        var spurious = 0
        var misses: [String] = []
        var falsePositives: [String] = []

        for _ in 0..<Self.messageCount {
            let message = Corpus.message(&rng)
            let bytes = Array(message.text.utf8)
            let found = try bytes.withUnsafeBufferPointer { try scrubber.detect(utf8: $0) }
            var claimed = Set<Int>()
            var offset = 0
            for segment in message.segments {
                let span = offset..<(offset + segment.text.utf8.count)
                offset = span.upperBound
                switch segment.kind {
                case .filler:
                    continue
                case .pii(let type):
                    let label = Corpus.label(type)
                    let hit = found.firstIndex {
                        $0.start <= span.lowerBound && $0.end >= span.upperBound
                            && scrubber.detectors[$0.detector].label == label
                    }
                    recall[type, default: Tally()].total += 1
                    if let hit {
                        recall[type]!.hits += 1
                        claimed.insert(hit)
                    } else if misses.count < 10 {
                        misses.append("\(type): \(segment.text)")
                    }
                case .lookalike(let kind):
                    let overlapping = found.indices.filter { found[$0].start < span.upperBound && found[$0].end > span.lowerBound }
                    lookalikes[kind, default: Tally()].total += 1
                    if !overlapping.isEmpty {
                        lookalikes[kind]!.hits += 1
                        claimed.formUnion(overlapping)
                        if falsePositives.count < 10 { falsePositives.append("\(kind): \(segment.text)") }
                    }
                }
            }
            for index in found.indices where !claimed.contains(index) {
                spurious += 1
                let match = found[index]
                if falsePositives.count < 10 {
                    falsePositives.append("spurious \(scrubber.detectors[match.detector].name): "
                                          + String(decoding: bytes[match.start..<match.end], as: UTF8.self))
                }
            }
        }

        let piiTotal = recall.values.reduce(0) { $0 + $1.total }
        let piiHits = recall.values.reduce(0) { $0 + $1.hits }
        let lookalikeTotal = lookalikes.values.reduce(0) { $0 + $1.total }
        let flagged = lookalikes.values.reduce(0) { $0 + $1.hits } + spurious
        let recallRate = Double(piiHits) / Double(piiTotal)
        let falsePositiveRate = Double(flagged) / Double(lookalikeTotal)

        var table = "\nPII type          values  found  recall\n"
        for type in Corpus.piiTypes {
            let tally = recall[type] ?? Tally()
            table += pad(type, 16) + pad(String(tally.total), 8, right: true) + pad(String(tally.hits), 7, right: true)
                + pad(percent(tally.hits, tally.total), 8, right: true) + "\n"
        }
        table += "look-alike        values flagged  FP rate\n"
        for kind in Corpus.lookalikeKinds {
            let tally = lookalikes[kind] ?? Tally()
            table += pad(kind, 16) + pad(String(tally.total), 8, right: true) + pad(String(tally.hits), 7, right: true)
                + pad(percent(tally.hits, tally.total), 8, right: true) + "\n"
        }
        table += "spurious matches in filler: \(spurious)\n"
        table += "overall: recall \(percent(piiHits, piiTotal)) of \(piiTotal) values; "
            + "false positives \(percent(flagged, lookalikeTotal)) of \(lookalikeTotal) look-alikes\n"
        if !misses.isEmpty { table += "first misses: \(misses)\n" }
        if !falsePositives.isEmpty { table += "first false positives: \(falsePositives)\n" }
        print(table)

        #expect(piiTotal > 5000)
        #expect(recall.values.allSatisfy { $0.total > 300 })
        #expect(recallRate >= 0.99, "\(table)")
        #expect(falsePositiveRate <= 0.01, "\(table)")
    }

    @Test("streamed scrubbing in random chunks equals one-shot scrubbing on the corpus")
    func streamingMatchesOneShot() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .mask))
        var rng = SplitMix64(seed: 42)
        for _ in 0..<400 {
            let text = Corpus.message(&rng).text
            let expected = try scrubber.scrub(text, direction: .response).output
            var chunks: [String] = []
            var rest = Substring(text)
            while !rest.isEmpty {
                let size = min(rest.count, rng.int(1...12))
                chunks.append(String(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            #expect(try streamed(scrubber, chunks) == expected, "\(chunks)")
            // One chunk: the whole-text regex path (no prefilter) agrees with the prefiltered one.
            #expect(try streamed(scrubber, [text]) == expected)
        }
    }

    @Test("tokenize round trip over the corpus restores every message exactly")
    func tokenizeRoundTrip() throws {
        let scrubber = try Scrubber(ScrubberSpec(action: .tokenize))
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let text = Corpus.message(&rng).text
            let session = ScrubSession()
            let tokenized = try #require(try scrubber.scrub(text, session: session).output)
            #expect(try scrubber.scrub(tokenized, direction: .response, session: session).output == text)
            let characters = Array(tokenized)
            let cut = rng.int(0...characters.count)
            let chunks = [String(characters[..<cut]), String(characters[cut...])]
            #expect(try streamed(scrubber, chunks, session: session) == text)
        }
    }
}

private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}

private func percent(_ part: Int, _ whole: Int) -> String {
    guard whole > 0 else { return "-" }
    let tenths = (part * 1000 + whole / 2) / whole
    return "\(tenths / 10).\(tenths % 10)%"
}
