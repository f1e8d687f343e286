import Foundation
import Yams

extension PipelineReader {
    /// The `tests:` section.
    func tests(_ node: Node) -> [PipelineTestSpec] {
        guard let items = reader.sequence(node, "tests") else { return [] }
        var tests: [PipelineTestSpec] = []
        for (i, item) in items.enumerated() {
            let path = "tests[\(i)]"
            guard let entries = reader.mapping(item, path) else { continue }
            reader.checkKeys(entries, allowed: ["name", "request", "upstream", "expect"], path)
            let name = entries.first { $0.key == "name" }.flatMap { reader.string($0.value, join(path, "name")) } ?? "test \(i + 1)"
            guard let requestEntry = entries.first(where: { $0.key == "request" }) else {
                reader.error(item, path, "a test needs a 'request'")
                continue
            }
            guard let expectEntry = entries.first(where: { $0.key == "expect" }) else {
                reader.error(item, path, "a test needs an 'expect'")
                continue
            }
            guard case .object(var request)? = reader.json(requestEntry.value, join(path, "request")) else {
                reader.error(requestEntry.value, join(path, "request"), "expected a mapping (a chat request)")
                continue
            }
            let prepared = DryRunRequest(request)
            request = prepared.body
            if request["model"] == nil {
                reader.error(requestEntry.value, join(path, "request"), "the request needs a 'model'")
                continue
            }
            guard let expect = expectation(expectEntry.value, join(path, "expect")) else { continue }
            var test = PipelineTestSpec(name: name, mark: reader.mark(item, path), request: request, expect: expect)
            test.headers = prepared.headers
            test.key = prepared.key
            if let upstream = entries.first(where: { $0.key == "upstream" }), let fields = reader.mapping(upstream.value, join(path, "upstream")) {
                for field in fields {
                    let fieldPath = join(join(path, "upstream"), field.key)
                    guard let failure = reader.string(field.value, fieldPath) else { continue }
                    if DryRunAdapter.simulatedError(failure, label: field.key) == nil {
                        reader.error(field.value, fieldPath, "unknown simulated failure '\(failure)'",
                            hint: "an HTTP status (503) or one of: \(DryRunAdapter.failureNames.joined(separator: ", "))")
                    }
                    test.failing[field.key] = failure
                }
            }
            tests.append(test)
        }
        return tests
    }

    private func expectation(_ node: Node, _ path: String) -> PipelineTestSpec.Expectation? {
        guard let entries = reader.mapping(node, path) else { return nil }
        let keys = ["path", "target", "arm", "status", "rejected", "attempts", "upstream_body_contains", "upstream_body_not_contains"]
        reader.checkKeys(entries, allowed: keys, path)
        var expect = PipelineTestSpec.Expectation()
        for entry in entries {
            let fieldPath = join(path, entry.key)
            switch entry.key {
            case "path":
                expect.path = strings(entry.value, fieldPath, separator: ",")
            case "target": expect.target = strings(entry.value, fieldPath, separator: "|")
            case "arm": expect.arm = reader.string(entry.value, fieldPath)
            case "status": expect.status = reader.int(entry.value, fieldPath, range: 100...599)
            case "attempts": expect.attempts = reader.int(entry.value, fieldPath, range: 0...1000)
            case "rejected":
                if case .scalar(let scalar) = entry.value, scalar.string == "true" { expect.rejected = "" }
                else { expect.rejected = reader.string(entry.value, fieldPath) }
            case "upstream_body_contains": expect.upstreamBodyContains = strings(entry.value, fieldPath, separator: nil) ?? []
            case "upstream_body_not_contains": expect.upstreamBodyNotContains = strings(entry.value, fieldPath, separator: nil) ?? []
            default: break
            }
        }
        return expect
    }

    /// A list, or one string split at `separator`.
    private func strings(_ node: Node, _ path: String, separator: Character?) -> [String]? {
        if case .sequence = node {
            return (reader.sequence(node, path) ?? []).compactMap { reader.string($0, path) }
        }
        guard let text = reader.string(node, path) else { return nil }
        guard let separator else { return [text] }
        return text.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
