/// Compiles the `pipelines:` section into blocks of stages with every name resolved, and checks
/// the graph: undefined names, cycles, paths that end without `route`/`reject`, `retry` or
/// `fallback` with nothing after them, unreachable pipelines. Every problem is collected.
struct PipelineCompiler {
    let file: String
    let specs: [PipelineSpec]
    let modelIndex: [String: Int]
    let modelNames: [String]
    let scrubberSpecs: [ScrubberDeclaration]
    let scrubberFactory: (any ScrubberFactory)?

    private(set) var diagnostics: [ConfigDiagnostic] = []
    private(set) var blocks: [Block] = []
    private var pipelineIndex: [String: Int] = [:]
    private var scrubbers: [String: any RequestScrubber] = [:]

    init(
        file: String, specs: [PipelineSpec], modelIndex: [String: Int], modelNames: [String],
        scrubbers: [ScrubberDeclaration], scrubberFactory: (any ScrubberFactory)?
    ) {
        self.file = file
        self.specs = specs
        self.modelIndex = modelIndex
        self.modelNames = modelNames
        self.scrubberSpecs = scrubbers
        self.scrubberFactory = scrubberFactory
        for (i, spec) in specs.enumerated() { pipelineIndex[spec.name] = i }
    }

    /// The compiled table. `modelPipelines` are the `{pipeline: NAME}` references of models.
    mutating func compile(modelPipelines: [(model: Int, ref: NameRef)]) -> PipelineTable {
        buildScrubbers()
        var pipelines: [CompiledPipeline] = []
        for (i, spec) in specs.enumerated() {
            pipelines.append(CompiledPipeline(name: spec.name, entry: compileList(spec.stages, continuation: nil, pipeline: i)))
        }
        var modelTargets: [Int: Int] = [:]
        for (model, ref) in modelPipelines {
            if let index = resolvePipeline(ref) { modelTargets[model] = index }
        }
        var analysis = PipelineAnalysis(specs: specs, pipelineIndex: pipelineIndex, modelIndex: modelIndex, modelPipelines: modelTargets)
        analysis.check()
        for problem in analysis.problems {
            report(problem.severity, problem.mark, problem.message, hint: problem.hint)
        }
        return PipelineTable(pipelines: pipelines, blocks: blocks, main: pipelineIndex["main"], modelPipelines: modelTargets)
    }

    private mutating func buildScrubbers() {
        for spec in scrubberSpecs {
            guard let factory = scrubberFactory else {
                // Only an error when a stage uses it (see `resolveScrubber`).
                continue
            }
            switch factory.makeScrubber(name: spec.name, settings: spec.settings) {
            case .success(let scrubber): scrubbers[spec.name] = scrubber
            case .failure(let error):
                var mark = spec.mark
                if let key = error.key { mark.path += ".\(key)" }
                report(.error, mark, error.message)
            }
        }
    }

    private mutating func compileList(_ stages: [StageSpec], continuation: Position?, pipeline: Int) -> Int {
        let index = blocks.count
        blocks.append(Block(stages: [], continuation: continuation, pipeline: pipeline))
        var compiled: [Stage] = []
        for (i, stage) in stages.enumerated() {
            let next = Position(block: index, stage: i + 1)
            if case .retry = stage.kind, i == stages.count - 1 {
                report(.error, stage.mark, "'retry' has nothing after it to retry", hint: "put the stages to retry, ending in a 'route', after it")
            }
            if case .fallback = stage.kind, i == stages.count - 1 {
                report(.error, stage.mark, "'fallback' has nothing after it to fall back from", hint: "put a 'route' after it")
            }
            compiled.append(compileStage(stage, next: next, pipeline: pipeline))
        }
        blocks[index].stages = compiled
        return index
    }

    private mutating func compileStage(_ stage: StageSpec, next: Position, pipeline: Int) -> Stage {
        switch stage.kind {
        case .route(let ref):
            return .route(ref.flatMap { resolveModel($0) })
        case .reject(let status, let message):
            return .reject(Boxed(GatewayError(.rejected, status: status, message: message)))
        case .match(let cases, let otherwise):
            var compiled: [(condition: Condition, branch: Branch)] = []
            for matchCase in cases {
                compiled.append((matchCase.condition, compileBranch(matchCase.branch, next: next, pipeline: pipeline)))
            }
            return .match(MatchStage(cases: compiled, otherwise: otherwise.map { compileBranch($0, next: next, pipeline: pipeline) }))
        case .transform(let transform, let model):
            if let model { _ = resolveModel(model) }
            return .transform(Boxed(transform))
        case .split(let subject, let arms, let seed):
            let compiled = arms.map { ($0.name, $0.weight, compileBranch($0.branch, next: next, pipeline: pipeline)) }
            // The default salt survives edits elsewhere in the file: the same experiment (pipeline
            // and arm names) keeps its assignment; renaming it reshuffles, as it should.
            let salt = seed ?? "\(specs[pipeline].name):\(arms.map(\.name).joined(separator: ","))"
            return .split(SplitStage(subject: subject, arms: compiled, salt: salt))
        case .retry(let policy):
            return .retry(Boxed(policy))
        case .fallback(let to, let on):
            return .fallback(FallbackStage(to: to.compactMap { resolveModel($0) }, on: on))
        case .limit(let settings):
            return .limit(RateLimiter(settings: settings))
        case .scrub(let ref):
            return .scrub(ScrubStage(name: ref.name, scrubber: resolveScrubber(ref) ?? UnavailableScrubber()))
        }
    }

    private mutating func compileBranch(_ branch: BranchSpec, next: Position, pipeline: Int) -> Branch {
        switch branch {
        case .goto(let ref): return .goto(resolvePipeline(ref) ?? 0)
        case .route(let ref): return .route(resolveModel(ref) ?? 0)
        case .then(let stages, _): return .block(compileList(stages, continuation: next, pipeline: pipeline))
        }
    }

    private mutating func resolvePipeline(_ ref: NameRef) -> Int? {
        if let index = pipelineIndex[ref.name] { return index }
        let names = specs.map(\.name)
        report(.error, ref.mark, "no pipeline named '\(ref.name)'",
            hint: Suggestion.didYouMean(ref.name, among: names) ?? (names.isEmpty ? "declare it under 'pipelines:'" : "declared: \(names.joined(separator: ", "))"))
        return nil
    }

    private mutating func resolveModel(_ ref: NameRef) -> Int? {
        if let index = modelIndex[ref.name] { return index }
        report(.error, ref.mark, "no model named '\(ref.name)'",
            hint: Suggestion.didYouMean(ref.name, among: modelNames) ?? "declare it under 'models:'")
        return nil
    }

    private mutating func resolveScrubber(_ ref: NameRef) -> (any RequestScrubber)? {
        if let scrubber = scrubbers[ref.name] { return scrubber }
        let names = scrubberSpecs.map(\.name)
        if !names.contains(ref.name) {
            report(.error, ref.mark, "scrubber '\(ref.name)' is not defined",
                hint: Suggestion.didYouMean(ref.name, among: names) ?? "declare it under 'scrubbers:'")
        } else if scrubberFactory == nil {
            report(.error, ref.mark, "scrubber '\(ref.name)' cannot be built: this build has no scrubbing engine",
                hint: "a PII policy is never skipped silently; remove the stage or use a build with scrubbing")
        }
        return nil
    }

    private mutating func report(_ severity: ConfigDiagnostic.Severity, _ mark: SourceMark, _ message: String, hint: String? = nil) {
        diagnostics.append(
            ConfigDiagnostic(severity: severity, file: file, line: mark.line, column: mark.column, path: mark.path, message: message, hint: hint))
    }
}

/// Stands in for a scrubber that failed to compile; never runs (the program does not load).
private struct UnavailableScrubber: RequestScrubber {
    func scrub(_ request: inout ChatRequest) throws(GatewayError) -> ScrubReport {
        throw GatewayError(.pipelineError, status: 500, message: "scrubber unavailable")
    }
}

/// The compiled pipelines of a program.
struct PipelineTable: Sendable {
    var pipelines: [CompiledPipeline]
    /// The stage lists, as compiled (for rendering the graph).
    var blocks: [Block]
    /// The `main` pipeline, which every request enters when it exists.
    var main: Int?
    /// Model index → pipeline index, for `{pipeline: NAME}` models.
    var modelPipelines: [Int: Int]
    /// Every block's stages, back to back: the interpreter reads `stages[extent.start + i]`, so a
    /// step costs one retain of the stage's payload and nothing for the block.
    let stages: [Stage]
    let extents: [BlockExtent]

    /// Where a block's stages are in `stages`, and where to continue after it (plain values).
    struct BlockExtent: Sendable {
        var start: Int
        var count: Int
        var continuation: Position?
        var pipeline: Int
    }

    init(pipelines: [CompiledPipeline], blocks: [Block], main: Int?, modelPipelines: [Int: Int]) {
        self.pipelines = pipelines
        self.blocks = blocks
        self.main = main
        self.modelPipelines = modelPipelines
        var stages: [Stage] = []
        var extents: [BlockExtent] = []
        for block in blocks {
            extents.append(BlockExtent(start: stages.count, count: block.stages.count, continuation: block.continuation, pipeline: block.pipeline))
            stages += block.stages
        }
        self.stages = stages
        self.extents = extents
    }

    static let empty = PipelineTable(pipelines: [], blocks: [], main: nil, modelPipelines: [:])
}
