/// Runs a config's `tests:` section against its compiled program, without a network.
///
/// Tests run in file order against one program, so `limit` state carries from one test to the
/// next (a test can expect the third request in a row to get 429).
public enum PipelineTestRunner {
    public struct Outcome: Sendable {
        public var name: String
        public var mark: SourceMark
        /// Why the test failed; empty when it passed.
        public var failures: [String]
        public var passed: Bool { failures.isEmpty }
    }

    public static func run(_ program: GatewayProgram) async -> [Outcome] {
        var outcomes: [Outcome] = []
        for test in program.tests {
            outcomes.append(await run(test, program: program))
        }
        return outcomes
    }

    static func run(_ test: PipelineTestSpec, program: GatewayProgram) async -> Outcome {
        let (result, calls) = await program.dryRun(
            DryRunRequest(body: test.request, headers: test.headers, key: test.key), failing: test.failing)
        var failures: [String] = []
        let expect = test.expect
        let status: Int
        let error: GatewayError?
        switch result.outcome {
        case .success: (status, error) = (200, nil)
        case .failure(let failure): (status, error) = (failure.status, failure)
        }
        if let path = expect.path, path != result.path {
            failures.append("path: expected \(path.joined(separator: ",")), got \(result.path.joined(separator: ","))")
        }
        if let targets = expect.target {
            let label = result.target?.label ?? "(none)"
            if !targets.contains(label) { failures.append("target: expected \(targets.joined(separator: "|")), got \(label)") }
        }
        if let arm = expect.arm, arm != result.arm {
            failures.append("arm: expected \(arm), got \(result.arm ?? "(none)")")
        }
        if let attempts = expect.attempts, attempts != result.attempts {
            failures.append("attempts: expected \(attempts), got \(result.attempts)")
        }
        if let expected = expect.status, expected != status {
            failures.append("status: expected \(expected), got \(status)\(error.map { " (\($0.message))" } ?? "")")
        }
        if let fragment = expect.rejected {
            if let error {
                if !fragment.isEmpty, !error.message.contains(fragment) {
                    failures.append("rejected: expected a message containing '\(fragment)', got '\(error.message)'")
                }
            } else {
                failures.append("rejected: expected a rejection, but the request was routed to \(result.target?.label ?? "?")")
            }
        } else if expect.status == nil, let error {
            failures.append("unexpected failure: \(error.status) \(error.message)")
        }
        let bodies = calls.map(\.body).joined(separator: "\n")
        for fragment in expect.upstreamBodyContains where !bodies.contains(fragment) {
            failures.append("upstream body does not contain '\(fragment)'")
        }
        for fragment in expect.upstreamBodyNotContains where bodies.contains(fragment) {
            failures.append("upstream body contains '\(fragment)'")
        }
        return Outcome(name: test.name, mark: test.mark, failures: failures)
    }
}
