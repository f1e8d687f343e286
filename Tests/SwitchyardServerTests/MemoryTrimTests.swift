import Testing
@testable import SwitchyardServer

/// `scripts/resources_e2e.py` measures the effect: the resident set after 2,000 streams.
@Suite struct MemoryTrimTests {
    @Test func trimsOnlyWhenTheResidentSetGrewAndFreeMemoryIsThere() {
        let mib = 1 << 20
        // A burst: 200 MiB resident against a baseline of 45, 150 MiB free in the arenas.
        #expect(MemoryTrim.shouldTrim(resident: 200 * mib, baseline: 45 * mib, free: 150 * mib, threshold: 32 * mib))
        // Steady traffic: the resident set where it was.
        #expect(!MemoryTrim.shouldTrim(resident: 50 * mib, baseline: 45 * mib, free: 40 * mib, threshold: 32 * mib))
        // Grown, but the memory is in use, not free.
        #expect(!MemoryTrim.shouldTrim(resident: 200 * mib, baseline: 45 * mib, free: 8 * mib, threshold: 32 * mib))
    }

    @Test func aTrimThatReleasesLittleMovesTheBaselineUp() {
        let mib = 1 << 20
        // 104 → 74 MiB mid-burst: the baseline stays at 45, the end of the burst is trimmed too.
        #expect(MemoryTrim.baseline(after: 74 * mib, before: 104 * mib, baseline: 45 * mib, threshold: 8 * mib) == 45 * mib)
        // 80 → 79 MiB: that is the working set now, not garbage; no trim again at 80.
        #expect(MemoryTrim.baseline(after: 79 * mib, before: 80 * mib, baseline: 45 * mib, threshold: 8 * mib) == 79 * mib)
        #expect(!MemoryTrim.shouldTrim(resident: 80 * mib, baseline: 79 * mib, free: 20 * mib, threshold: 8 * mib))
    }

    @Test func readsTheResidentSet() {
        let resident = MemoryTrim.residentBytes()
        #expect(resident > 1 << 20 && resident < 1 << 40)
    }
}
