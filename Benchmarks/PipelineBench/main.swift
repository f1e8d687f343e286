// Micro-benchmark of the pipeline interpreter with no upstream: what the engine itself costs per
// request. Run with `swift run -c release PipelineBench`.
//
// The pipeline has ten stages on the path a request takes: a match with five conditions (and a
// transform in its `then`), two transforms and a split in `main`; retry, fallback, a transform, a
// match and a route in the arm's pipeline.
import Foundation
import Logging
import NIOCore
import SwitchyardCore

let yaml = """
    providers: {up: {kind: mock}}
    models:
      gpt-4o: {provider: up}
      claude: {provider: up, model: claude-sonnet-4-5}
    pipelines:
      main:
        - match:
            - when:
                header.x-team: research
                model: "gpt-4*"
                metadata.plan: {in: [pro, team]}
                tokens: {lt: 100000}
                user: {exists: true}
              then: [{transform: {set: {temperature: 0.2}}}]
        - transform: {default: {max_tokens: 512}}
        - transform: {remove: [logit_bias]}
        - split:
            by: user
            arms:
              - {name: control, weight: 90, goto: gpt}
              - {name: treatment, weight: 10, goto: gpt}
      gpt:
        - retry: {attempts: 3, on: [429, 5xx, timeout]}
        - fallback: {to: [claude], on: [error]}
        - transform: {default: {top_p: 1}}
        - match:
            - when: {stream: true}
              route: claude
        - route: gpt-4o
    """

/// Answers at once with a prebuilt body: the benchmark measures the engine, not an upstream.
struct InstantAdapter: ProviderAdapter {
    let body = ByteBuffer(string: #"{"id":"x","object":"chat.completion","choices":[]}"#)
    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        .complete(body: body)
    }
}

/// Runs off the main actor, as a server request handler does (no executor hop per request).
@concurrent
func benchmark() async throws {
    // BENCH_CONFIG=FILE measures another configuration with the same request (for comparisons).
    let config = try ProcessInfo.processInfo.environment["BENCH_CONFIG"].map { try ConfigLoader.load(path: $0, environment: [:]) }
        ?? ConfigLoader.load(yaml: yaml, file: "bench.yaml", environment: [:])
    let program = try GatewayProgram(config: config)
    let request = try ChatRequest(body: ByteBuffer(string: #"{"model":"gpt-4o","user":"u-42","metadata":{"plan":"pro"},"messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":"Summarise the attached paper in three bullet points, please."}]}"#))
    let headers = RequestHeaders([(name: "x-team", value: "research"), (name: "content-type", value: "application/json")])
    let context = CallContext(
        requestID: "bench", logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }), headers: headers)
    let adapter = InstantAdapter()

    let check = await program.execute(request, context: context, upstream: adapter)
    if ProcessInfo.processInfo.environment["BENCH_CONFIG"] == nil {
        precondition(check.path == ["main", "gpt"] && check.target?.label == "up/gpt-4o", "unexpected path \(check.path)")
    }

    /// Nanoseconds per request: wall clock, and CPU time of the process (robust when other
    /// work shares the machine).
    func measure(_ iterations: Int) async -> (wall: Double, cpu: Double) {
        let clock = ContinuousClock()
        let cpuStart = cpuNanoseconds()
        let start = clock.now
        for _ in 0..<iterations {
            let result = await program.execute(request, context: context, upstream: adapter)
            precondition(result.attempts == 1)
        }
        let elapsed = clock.now - start
        let cpu = cpuNanoseconds() - cpuStart
        let wall = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        return (wall / Double(iterations), cpu / Double(iterations))
    }

    // BENCH_ITERATIONS lowers the count (for running under valgrind).
    let iterations = ProcessInfo.processInfo.environment["BENCH_ITERATIONS"].flatMap { Int($0) } ?? 200_000
    _ = await measure(iterations / 10)  // warm up
    var runs: [(wall: Double, cpu: Double)] = []
    for _ in 0..<7 { runs.append(await measure(iterations)) }
    let wall = runs.map(\.wall).sorted()
    let cpu = runs.map(\.cpu).sorted()
    let label = ProcessInfo.processInfo.environment["BENCH_CONFIG"] ?? "pipeline interpreter, 10 stages"
    print(String(format: "%@, no upstream: median %.0f ns/request CPU time (min %.0f), %.0f ns wall (min %.0f); 7 runs x %d", label, cpu[3], cpu[0], wall[3], wall[0], iterations))
}

func cpuNanoseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e9 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e3
}

try await benchmark()
