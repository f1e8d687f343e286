import Testing
@testable import SwitchyardServer

/// The arithmetic behind `serve`'s start-up sizing; `scripts/resources_e2e.py` runs the binary
/// under real affinity masks and descriptor limits.
@Suite struct ProcessResourceTests {
    @Test func connectionsThatFitAreLeftAlone() {
        // 20,000 - 256 reserved = 19,744 ≥ 10,000 clients + min(8,192, 10,000) upstream.
        let budget = DescriptorBudget(limit: 20_000, configuredClientConnections: 10_000, upstreamConnections: 8_192)
        #expect(budget.clientConnections == 10_000)
        #expect(!budget.lowered)
    }

    @Test func smallPoolsLeaveTheRestToClients() {
        // 1,024 - 256 = 768 descriptors; the pools (100) fit whole, the clients get 668.
        let budget = DescriptorBudget(limit: 1_024, configuredClientConnections: 10_000, upstreamConnections: 100)
        #expect(budget.clientConnections == 668)
        #expect(budget.lowered)
        #expect(budget.warning.hasPrefix("server.max_client_connections lowered from 10000 to 668: the descriptor limit (ulimit -n) is 1024"))
    }

    @Test func largePoolsSplitTheRoomWithClients() {
        // 20,000 - 256 = 19,744: 10,100 clients with as many upstream connections do not fit
        // (the 10,000-stream run that aborted); each client may hold one upstream connection, so
        // half of the room each: 9,872.
        let budget = DescriptorBudget(limit: 20_000, configuredClientConnections: 10_100, upstreamConnections: 10_100)
        #expect(budget.clientConnections == 9_872)
    }

    @Test func anUnlimitedLimitChangesNothing() {
        let budget = DescriptorBudget(limit: Int.max, configuredClientConnections: 10_000_000, upstreamConnections: 1_000_000)
        #expect(budget.clientConnections == 10_000_000)
    }

    @Test func affinityMasks() {
        #expect(CPUAffinity.allowedCPUs(mask: "1\n") == 1)
        #expect(CPUAffinity.allowedCPUs(mask: "\t3") == 2)
        #expect(CPUAffinity.allowedCPUs(mask: "ff,ffffffff") == 40)
        #expect(CPUAffinity.allowedCPUs(mask: "00000000,00000a00") == 2)
        #expect(CPUAffinity.allowedCPUs(mask: "0") == nil)
        #expect(CPUAffinity.allowedCPUs(mask: "zz") == nil)
        #expect(CPUAffinity.allowedCPUs() ?? 1 >= 1)
    }

    @Test func loopsFollowTheMaskOnlyWhenItIsNarrower() {
        #expect(CPUAffinity.threadCount(allowed: 1, coreCount: 2, environment: [:]) == 1)
        #expect(CPUAffinity.threadCount(allowed: 2, coreCount: 2, environment: [:]) == nil)
        // A cgroup quota NIO already counts (coreCount 2) is not widened by a wider mask.
        #expect(CPUAffinity.threadCount(allowed: 8, coreCount: 2, environment: [:]) == nil)
        #expect(CPUAffinity.threadCount(allowed: nil, coreCount: 2, environment: [:]) == nil)
        #expect(CPUAffinity.threadCount(allowed: 1, coreCount: 2, environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "4"]) == nil)
    }
}
