import Foundation

/// Renders a compiled program's pipelines: as indented text (`switchyard check`), Mermaid or
/// Graphviz dot (`switchyard graph`).
public struct PipelineGraph: Sendable {
    let program: GatewayProgram

    public init(_ program: GatewayProgram) {
        self.program = program
    }

    private var table: PipelineTable { program.table }

    // MARK: text

    /// One pipeline per paragraph, stages numbered, branches indented.
    public func text() -> String {
        var lines: [String] = []
        if table.pipelines.isEmpty {
            lines.append("no pipelines: each request goes to the model it names")
        } else if let main = table.main {
            lines.append("entry: pipeline \(table.pipelines[main].name)")
        } else {
            lines.append("entry: the model each request names (no 'main' pipeline)")
        }
        for pipeline in table.pipelines {
            lines.append("pipeline \(pipeline.name)")
            describe(block: pipeline.entry, indent: "  ", into: &lines)
        }
        for (i, name) in program.modelNames.enumerated() {
            lines.append("model \(name) → \(modelTargetDescription(i))")
        }
        return lines.joined(separator: "\n")
    }

    private func describe(block index: Int, indent: String, into lines: inout [String]) {
        for (i, stage) in table.blocks[index].stages.enumerated() {
            let prefix = "\(indent)\(i + 1). "
            let inner = indent + "     "
            switch stage {
            case .match(let match):
                lines.append(prefix + "match")
                for matchCase in match.cases {
                    describe(branch: matchCase.branch, label: "when \(matchCase.condition.summary)", indent: inner, into: &lines)
                }
                if let otherwise = match.otherwise { describe(branch: otherwise, label: "else", indent: inner, into: &lines) }
            case .split(let split):
                lines.append(prefix + "split by \(split.subject.name)")
                var previous = 0.0
                let total = split.cumulativeWeights.last ?? 1
                for (arm, cumulative) in zip(split.arms, split.cumulativeWeights) {
                    let percent = (cumulative - previous) / total * 100
                    previous = cumulative
                    describe(branch: arm.branch, label: "arm \(arm.name) (\(formatPercent(percent)))", indent: inner, into: &lines)
                }
            default:
                lines.append(prefix + summary(of: stage))
            }
        }
    }

    private func describe(branch: Branch, label: String, indent: String, into lines: inout [String]) {
        switch branch {
        case .goto(let pipeline): lines.append("\(indent)\(label) → goto \(table.pipelines[pipeline].name)")
        case .route(let model): lines.append("\(indent)\(label) → route \(program.modelNames[model])")
        case .block(let block):
            lines.append("\(indent)\(label) → then")
            describe(block: block, indent: indent + "  ", into: &lines)
        }
    }

    func summary(of stage: Stage) -> String {
        switch stage {
        case .route(let model?): "route \(program.modelNames[model])"
        case .route(nil): "route-requested"
        case .reject(let error): "reject \(error.value.status) \"\(error.value.message)\""
        case .match: "match"
        case .split(let split): "split by \(split.subject.name)"
        case .transform(let transform): "transform \(transform.value.summary)"
        case .retry(let policy): "retry \(policy.value.summary)"
        case .fallback(let fallback): "fallback on \(fallback.on.summary) to \(fallback.to.map { program.modelNames[$0] }.joined(separator: ", "))"
        case .limit(let limiter): "limit \(limiter.settings.summary)"
        case .scrub(let scrub): "scrub \(scrub.name)"
        }
    }

    private func modelTargetDescription(_ index: Int) -> String {
        switch program.models[index] {
        case .pipeline(let pipeline): return "pipeline \(table.pipelines[pipeline].name)"
        case .deployments(let model):
            if model.targets.isEmpty { return "unavailable (\(model.unavailableReason ?? "no targets"))" }
            let labels = model.targets.map(\.label).joined(separator: ", ")
            return model.targets.count == 1 ? labels : "\(model.strategy.rawValue): \(labels)"
        }
    }

    private func formatPercent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }
}
