/// Whole-graph checks over the pipeline specs: cycles through `goto`/`fallback`/pipeline models,
/// paths that can end without `route` or `reject`, and pipelines nothing reaches.
struct PipelineAnalysis {
    struct Problem {
        var severity: ConfigDiagnostic.Severity
        var mark: SourceMark
        var message: String
        var hint: String?
    }

    /// An edge from one pipeline to another, with where it is written.
    struct Edge {
        var to: Int
        var mark: SourceMark
    }

    let specs: [PipelineSpec]
    let pipelineIndex: [String: Int]
    let modelIndex: [String: Int]
    /// Model index → pipeline index.
    let modelPipelines: [Int: Int]
    private(set) var problems: [Problem] = []

    init(specs: [PipelineSpec], pipelineIndex: [String: Int], modelIndex: [String: Int], modelPipelines: [Int: Int]) {
        self.specs = specs
        self.pipelineIndex = pipelineIndex
        self.modelIndex = modelIndex
        self.modelPipelines = modelPipelines
    }

    mutating func check() {
        let edges = specs.map { spec in
            var edges: [Edge] = []
            collectEdges(spec.stages, into: &edges)
            return edges
        }
        for spec in specs where !spec.isIncomplete && !terminates(spec.stages) {
            problems.append(
                Problem(
                    severity: .error, mark: spec.mark, message: "pipeline '\(spec.name)' can end without a 'route' or 'reject'",
                    hint: "end it with a 'route' (or '- route-requested'), or give every 'match' an 'else'"))
        }
        findCycles(edges)
        findUnreachable(edges)
    }

    /// The pipeline a model name leads into, when the model is `{pipeline: NAME}`.
    private func pipeline(ofModel name: String) -> Int? {
        modelIndex[name].flatMap { modelPipelines[$0] }
    }

    private func collectEdges(_ stages: [StageSpec], into edges: inout [Edge]) {
        func branch(_ branch: BranchSpec) {
            switch branch {
            case .goto(let ref): if let to = pipelineIndex[ref.name] { edges.append(Edge(to: to, mark: ref.mark)) }
            case .route(let ref): if let to = pipeline(ofModel: ref.name) { edges.append(Edge(to: to, mark: ref.mark)) }
            case .then(let stages, _): collectEdges(stages, into: &edges)
            }
        }
        for stage in stages {
            switch stage.kind {
            case .route(let ref?):
                if let to = pipeline(ofModel: ref.name) { edges.append(Edge(to: to, mark: ref.mark)) }
            case .fallback(let to, _):
                for ref in to { if let target = pipeline(ofModel: ref.name) { edges.append(Edge(to: target, mark: ref.mark)) } }
            case .match(let cases, let otherwise):
                for matchCase in cases { branch(matchCase.branch) }
                if let otherwise { branch(otherwise) }
            case .split(_, let arms, _):
                for arm in arms { branch(arm.branch) }
            default: break
            }
        }
    }

    /// Whether every way through `stages` ends in `route`, `reject` or a `goto`.
    func terminates(_ stages: [StageSpec]) -> Bool {
        func branchTerminates(_ branch: BranchSpec) -> Bool {
            switch branch {
            case .goto, .route: true
            case .then(let stages, _): terminates(stages)
            }
        }
        for stage in stages {
            switch stage.kind {
            case .route, .reject: return true
            case .match(let cases, let otherwise):
                if let otherwise, branchTerminates(otherwise), cases.allSatisfy({ branchTerminates($0.branch) }) { return true }
            case .split(_, let arms, _):
                if !arms.isEmpty, arms.allSatisfy({ branchTerminates($0.branch) }) { return true }
            default: break
            }
        }
        return false
    }

    private mutating func findCycles(_ edges: [[Edge]]) {
        var color = [UInt8](repeating: 0, count: specs.count)  // 0 new, 1 on stack, 2 done
        var stack: [Int] = []
        var reported = Set<[Int]>()
        func visit(_ node: Int) {
            color[node] = 1
            stack.append(node)
            for edge in edges[node] {
                if color[edge.to] == 1 {
                    let cycle = Array(stack[stack.lastIndex(of: edge.to)!...])
                    let key = cycle.sorted()
                    if reported.insert(key).inserted {
                        let names = (cycle + [edge.to]).map { specs[$0].name }.joined(separator: " → ")
                        problems.append(
                            Problem(
                                severity: .error, mark: edge.mark, message: "pipelines form a cycle: \(names)",
                                hint: "a request could loop forever; break the cycle with a 'route'"))
                    }
                } else if color[edge.to] == 0 {
                    visit(edge.to)
                }
            }
            stack.removeLast()
            color[node] = 2
        }
        for node in specs.indices where color[node] == 0 { visit(node) }
    }

    private mutating func findUnreachable(_ edges: [[Edge]]) {
        var roots = Array(Set(modelPipelines.values))
        if let main = pipelineIndex["main"] { roots.append(main) }
        var seen = [Bool](repeating: false, count: specs.count)
        var queue = roots
        while let node = queue.popLast() {
            if seen[node] { continue }
            seen[node] = true
            queue.append(contentsOf: edges[node].map(\.to))
        }
        for (i, spec) in specs.enumerated() where !seen[i] {
            problems.append(
                Problem(
                    severity: .warning, mark: spec.mark, message: "pipeline '\(spec.name)' is unreachable",
                    hint: "no request can enter it: reach it from 'main' with a 'goto', or name it in a model's 'pipeline:'"))
        }
    }
}
