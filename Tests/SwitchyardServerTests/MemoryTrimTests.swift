import Testing
@testable import SwitchyardServer

/// `scripts/resources_e2e.py` measures the effect: the resident set after 2,000 streams.
@Suite struct MemoryTrimTests {
    let mib = 1 << 20

    func sample(_ resident: Int, free: Int) -> MemoryTrim.Sample { .init(resident: resident * mib, free: free * mib) }

    @Test func aBurstIsTrimmed() {
        // 200 MiB resident against 45 after the last trim, 150 MiB free in the arenas.
        #expect(MemoryTrim.shouldTrim(sample(200, free: 150), afterLastTrim: sample(45, free: 3), threshold: 8 * mib, movement: mib))
    }

    @Test func theEndOfABurstIsTrimmedAfterATrimDuringIt() {
        // Trimmed at 195 MiB while the streams held their memory (5 MiB free); they ended, the
        // resident set fell to 142 by itself and what they freed in the middle is still there.
        #expect(MemoryTrim.shouldTrim(sample(142, free: 120), afterLastTrim: sample(195, free: 5), threshold: 8 * mib, movement: mib))
        // Or it did not move at all: the streams freed 60 MiB in the middle of the arenas.
        #expect(MemoryTrim.shouldTrim(sample(98, free: 65), afterLastTrim: sample(97, free: 5), threshold: 8 * mib, movement: mib))
    }

    @Test func memoryThatDoesNotMoveIsLeftAlone() {
        // Trimmed before: the free bytes stay counted after a trim, the pages are gone.
        #expect(!MemoryTrim.shouldTrim(sample(50, free: 40), afterLastTrim: sample(50, free: 40), threshold: 8 * mib, movement: mib))
        // A few streams ended since: 5 MiB more free, trimmed again.
        #expect(MemoryTrim.shouldTrim(sample(50, free: 45), afterLastTrim: sample(50, free: 40), threshold: 8 * mib, movement: mib))
        // Grown, but the memory is in use, not free.
        #expect(!MemoryTrim.shouldTrim(sample(200, free: 4), afterLastTrim: sample(45, free: 3), threshold: 8 * mib, movement: mib))
    }

    @Test func readsTheResidentSet() {
        let resident = MemoryTrim.residentBytes()
        #expect(resident > 1 << 20 && resident < 1 << 40)
    }
}
