extension PipelineGraph {
    /// An edge of the diagram: between pipelines and the models they route to.
    private struct Edge: Hashable {
        var from: String
        var to: String
        var label: String
    }

    /// Nodes (id → label) and labelled edges: one node per pipeline (its non-branching stages
    /// in the label) and one per model routed to.
    private func diagram() -> (nodes: [(id: String, label: String, isModel: Bool)], edges: [Edge]) {
        var nodes: [(id: String, label: String, isModel: Bool)] = []
        var edges: [Edge] = []
        var models = Set<Int>()
        func modelNode(_ model: Int) -> String {
            models.insert(model)
            if case .pipeline(let pipeline) = program.models[model] { return "p\(pipeline)" }
            return "m\(model)"
        }
        func walk(block index: Int, from node: String, stages: inout [String], condition: String?) {
            for stage in program.table.blocks[index].stages {
                switch stage {
                case .match(let match):
                    for matchCase in match.cases { follow(matchCase.branch, from: node, label: matchCase.condition.summary, stages: &stages) }
                    if let otherwise = match.otherwise { follow(otherwise, from: node, label: "else", stages: &stages) }
                case .split(let split):
                    for arm in split.arms { follow(arm.branch, from: node, label: "arm \(arm.name)", stages: &stages) }
                case .route(let model?):
                    edges.append(Edge(from: node, to: modelNode(model), label: condition ?? "route"))
                case .route(nil):
                    edges.append(Edge(from: node, to: "requested", label: condition ?? "route"))
                case .fallback(let fallback):
                    stages.append(summary(of: stage))
                    for model in fallback.to { edges.append(Edge(from: node, to: modelNode(model), label: "fallback")) }
                default:
                    stages.append(summary(of: stage))
                }
            }
        }
        func follow(_ branch: Branch, from node: String, label: String, stages: inout [String]) {
            switch branch {
            case .goto(let pipeline): edges.append(Edge(from: node, to: "p\(pipeline)", label: label))
            case .route(let model): edges.append(Edge(from: node, to: modelNode(model), label: label))
            case .block(let block): walk(block: block, from: node, stages: &stages, condition: label)
            }
        }
        for (i, pipeline) in program.table.pipelines.enumerated() {
            var stages: [String] = []
            walk(block: pipeline.entry, from: "p\(i)", stages: &stages, condition: nil)
            nodes.append(("p\(i)", ([pipeline.name] + stages).joined(separator: "\n"), false))
        }
        for model in models.sorted() {
            if case .pipeline = program.models[model] { continue }
            nodes.append(("m\(model)", "model \(program.modelNames[model])", true))
        }
        if edges.contains(where: { $0.to == "requested" }) { nodes.append(("requested", "the requested model", true)) }
        return (nodes, edges)
    }

    /// A Mermaid flowchart.
    public func mermaid() -> String {
        let (nodes, edges) = diagram()
        var lines = ["flowchart LR"]
        for node in nodes {
            let label = escape(node.label).replacingNewlines(with: "<br/>")
            lines.append(node.isModel ? "  \(node.id)([\"\(label)\"])" : "  \(node.id)[\"\(label)\"]")
        }
        for edge in edges {
            lines.append("  \(edge.from) -->|\"\(escape(edge.label))\"| \(edge.to)")
        }
        return lines.joined(separator: "\n")
    }

    /// A Graphviz digraph.
    public func dot() -> String {
        let (nodes, edges) = diagram()
        var lines = ["digraph switchyard {", "  rankdir=LR;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for node in nodes {
            let label = escape(node.label).replacingNewlines(with: "\\n")
            lines.append("  \(node.id) [label=\"\(label)\"\(node.isModel ? ", shape=ellipse" : "")];")
        }
        for edge in edges {
            lines.append("  \(edge.from) -> \(edge.to) [label=\"\(escape(edge.label))\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    private func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "'"
            case "\\": out += "\\\\"
            default: out.append(character)
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingNewlines(with separator: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: separator)
    }
}
