/// Where a piece of configuration came from: reported with every compile problem.
public struct SourceMark: Sendable, Equatable {
    public var line: Int
    public var column: Int
    /// The YAML path (`pipelines.main[1].match[0].goto`).
    public var path: String

    public init(line: Int, column: Int, path: String) {
        self.line = line
        self.column = column
        self.path = path
    }
}

/// A name that the compiler resolves to an index (a pipeline, a model, a scrubber).
public struct NameRef: Sendable {
    public var name: String
    public var mark: SourceMark

    public init(_ name: String, mark: SourceMark) {
        self.name = name
        self.mark = mark
    }
}

/// `pipelines.NAME`: a list of stages, as written, with names not yet resolved.
public struct PipelineSpec: Sendable {
    public var name: String
    public var mark: SourceMark
    public var stages: [StageSpec]
    /// Set when reading the pipeline reported errors: some stages are missing, so whole-graph
    /// checks (does every path end in a route?) would only add noise.
    public var isIncomplete = false

    public init(name: String, mark: SourceMark, stages: [StageSpec]) {
        self.name = name
        self.mark = mark
        self.stages = stages
    }
}

/// One stage as written. Conditions, transforms, policies and limits are already in their
/// run-time form (they reference no other part of the file); names are resolved by the compiler.
public struct StageSpec: Sendable {
    public indirect enum Kind: Sendable {
        /// `route: MODEL`, or `route-requested` (`model == nil`): the model the request names.
        case route(NameRef?)
        case reject(status: Int, message: String)
        case match(cases: [MatchCaseSpec], otherwise: BranchSpec?)
        case transform(Transform, model: NameRef?)
        /// `seed` fixes the hash salt; by default it is the pipeline's name and the arm names.
        case split(subject: SplitSubject, arms: [SplitArmSpec], seed: String?)
        case retry(RetryPolicy)
        case fallback(to: [NameRef], on: FailureClassSet)
        case limit(LimitSettings)
        case scrub(NameRef)
    }

    public var kind: Kind
    public var mark: SourceMark

    public init(_ kind: Kind, mark: SourceMark) {
        self.kind = kind
        self.mark = mark
    }

    /// The stage's keyword, as written in YAML.
    public var keyword: String {
        switch kind {
        case .route(let model): model == nil ? "route-requested" : "route"
        case .reject: "reject"
        case .match: "match"
        case .transform: "transform"
        case .split: "split"
        case .retry: "retry"
        case .fallback: "fallback"
        case .limit: "limit"
        case .scrub: "scrub"
        }
    }
}

/// Where a `match` case, an `else` or a split arm leads.
public indirect enum BranchSpec: Sendable {
    /// `goto: PIPELINE`: continue in another pipeline; never returns.
    case goto(NameRef)
    /// `then: [stages]`: run the stages; falling off their end continues after the branching stage.
    case then([StageSpec], mark: SourceMark)
    /// `route: MODEL` as a shorthand for `then: [{route: MODEL}]`.
    case route(NameRef)
}

/// `- when: {...}` with its branch.
public struct MatchCaseSpec: Sendable {
    public var condition: Condition
    public var branch: BranchSpec
    public var mark: SourceMark

    public init(condition: Condition, branch: BranchSpec, mark: SourceMark) {
        self.condition = condition
        self.branch = branch
        self.mark = mark
    }
}

/// `split.arms[]`: a name, a positive weight, and a branch.
public struct SplitArmSpec: Sendable {
    public var name: String
    public var weight: Double
    public var branch: BranchSpec
    public var mark: SourceMark

    public init(name: String, weight: Double, branch: BranchSpec, mark: SourceMark) {
        self.name = name
        self.weight = weight
        self.branch = branch
        self.mark = mark
    }
}

/// `scrubbers.NAME`: a scrubbing policy; its settings are interpreted by the registered
/// `ScrubberFactory`, not by the pipeline compiler.
public struct ScrubberDeclaration: Sendable {
    public var name: String
    public var settings: JSONObject
    public var mark: SourceMark

    public init(name: String, settings: JSONObject, mark: SourceMark) {
        self.name = name
        self.settings = settings
        self.mark = mark
    }
}
