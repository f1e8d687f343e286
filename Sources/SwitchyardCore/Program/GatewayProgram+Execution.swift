import NIOCore

extension GatewayProgram {
    /// The most pipelines one request may enter (a `route-requested` into a pipeline model can
    /// loop in ways the compiler cannot see).
    static let maxPipelineEntries = 32

    /// Runs one request: through `main` when the config has one, else straight to the model it
    /// names (which may itself be a pipeline).
    ///
    /// Never throws: a rejection, a limit or an upstream failure is the result's `outcome`, so
    /// the trace (path, arm, target, attempts) reaches the response headers either way. Runs on
    /// the caller's executor (`nonisolated(nonsending)`): no executor hop per stage.
    /// - Parameters:
    ///   - context: request id, logger, the caller's headers and key alias, the retry sleeper.
    ///   - upstream: the adapter that calls providers (`ProviderSet` in the server,
    ///     `DryRunAdapter` for `explain` and `test`).
    nonisolated(nonsending) public func execute(
        _ request: ChatRequest, context: CallContext, upstream: some ProviderAdapter
    ) async -> ExecutionResult {
        var state = ExecutionState(request: request, context: context)
        let outcome: Result<UpstreamReply, GatewayError>
        do {
            let reply: UpstreamReply
            if context.overrides.fallbacks.isEmpty || context.overrides.disableFallbacks {
                reply = try await run(try entry(&state), &state, context, upstream)
            } else {
                reply = try await runWithRequestFallbacks(&state, context, upstream)
            }
            outcome = .success(try Self.filterResponse(reply, through: state.responseFilters))
        } catch {
            state.note("failed: \(error.status) \(error.code): \(error.message)")
            outcome = .failure(error)
        }
        let failed = if case .failure = outcome { true } else { false }
        return ExecutionResult(
            outcome: outcome, target: state.target,
            path: failed ? (state.failedPath ?? state.path) : state.path,
            arm: failed ? (state.failedArm ?? state.arm) : state.arm,
            attempts: state.attempts, decisions: state.decisions ?? [], scrubbed: state.scrubbed,
            retries: state.retries, fallbacks: state.fallbacks)
    }

    /// Where a request starts: `main` when it exists, else the model it names.
    private func entry(_ state: inout ExecutionState) throws(GatewayError) -> Next {
        if let main = table.main { .position(try enter(main, &state)) } else { try requestedModel(&state) }
    }

    /// The request's own `fallbacks: [...]` (LiteLLM's per-request fallbacks): when the whole run
    /// fails in a way `fallback.on: [error]` covers, each named model is tried in order.
    nonisolated(nonsending) private func runWithRequestFallbacks<U: ProviderAdapter>(
        _ state: inout ExecutionState, _ context: CallContext, _ upstream: U
    ) async throws(GatewayError) -> UpstreamReply {
        let alternatives = context.overrides.fallbacks.compactMap { modelIndex[$0] ?? wildcardModel(for: $0) }
        return try await runFalling(
            back: alternatives, on: .error, note: "request fallback", from: { (state) throws(GatewayError) in try entry(&state) },
            &state, context, upstream)
    }

    /// Passes an answer back through the scrub stages' response filters, innermost first.
    static func filterResponse(_ reply: UpstreamReply, through filters: [(any ResponseFilter)?]) throws(GatewayError) -> UpstreamReply {
        var reply = reply
        for filter in filters.reversed() {
            guard let filter else { continue }
            switch reply {
            case .complete(let body): reply = .complete(body: try filter.filter(body: body))
            case .stream(let stream): reply = .stream(filter.filter(stream: stream))
            }
        }
        return reply
    }

    /// Where execution goes next: a stage, or an upstream call that ends the walk.
    enum Next {
        case position(Position)
        case deployment(CompiledModel)
    }

    /// Enters a pipeline: records it in the path and returns its first stage.
    func enter(_ pipeline: Int, _ state: inout ExecutionState) throws(GatewayError) -> Position {
        let compiled = table.pipelines[pipeline]
        state.entries += 1
        guard state.entries <= Self.maxPipelineEntries else {
            throw GatewayError(.pipelineError, status: 508, message: "The request entered more than \(Self.maxPipelineEntries) pipelines; the configuration loops.")
        }
        state.path.append(compiled.name)
        state.note("enter pipeline \(compiled.name)")
        return Position(block: compiled.entry, stage: 0)
    }

    /// Where routing to a model leads: its pipeline, or its deployments.
    func route(to model: Int, _ state: inout ExecutionState) throws(GatewayError) -> Next {
        switch models[model] {
        case .pipeline(let pipeline):
            state.note("model \(modelNames[model]) is pipeline \(table.pipelines[pipeline].name)")
            return .position(try enter(pipeline, &state))
        case .deployments(let compiled):
            return .deployment(compiled)
        }
    }

    /// The model the request names now (after transforms).
    func requestedModel(_ state: inout ExecutionState) throws(GatewayError) -> Next {
        let name = state.facts.request["model"]?.stringValue ?? state.facts.request.requestedModel
        guard let index = modelIndex[name] ?? wildcardModel(for: name) else {
            state.note("route-requested: no model named '\(name)'")
            throw Self.modelNotFound(name)
        }
        return try route(to: index, &state)
    }

    /// What a walk through the stages stopped at: something that needs to wait for an upstream.
    enum Step {
        case call(CompiledModel)
        case retry(Boxed<RetryPolicy>, rest: Position)
        case fallback(FallbackStage, rest: Position)
        case limited(Lease, rest: Position)
    }

    /// Runs from `start` to the end of the request's path. The stages themselves are walked
    /// synchronously (`walk`); this async driver only handles what waits for an upstream.
    nonisolated(nonsending) func run<U: ProviderAdapter>(
        _ start: Next, _ state: inout ExecutionState, _ context: CallContext, _ upstream: U
    ) async throws(GatewayError) -> UpstreamReply {
        switch try walk(start, &state) {
        case .call(let model):
            return try await callDeployment(model, &state, context, upstream)
        case .retry(let policy, let rest):
            return try await retry(policy.value, from: rest, &state, context, upstream)
        case .fallback(let fallback, let rest):
            return try await self.fallback(fallback, from: rest, &state, context, upstream)
        case .limited(let lease, let rest):
            do {
                return try await run(.position(rest), &state, context, upstream).holding(lease)
            } catch {
                lease.release()
                throw error
            }
        }
    }

    /// Walks stages from `start` until an upstream call, a `retry`/`fallback`/`limit` that must
    /// wrap the rest, or a `reject` (thrown). `goto` and routes into pipeline models jump within
    /// the loop. Synchronous: matching, splitting and transforming never suspend.
    private func walk(_ start: Next, _ state: inout ExecutionState) throws(GatewayError) -> Step {
        var position: Position
        switch start {
        case .position(let first): position = first
        case .deployment(let model): return .call(model)
        }
        let stages = table.stages
        let extents = table.extents
        while true {
            let extent = extents[position.block]
            guard position.stage < extent.count else {
                guard let next = extent.continuation else {
                    throw GatewayError(.pipelineError, status: 500, message: "pipeline '\(table.pipelines[extent.pipeline].name)' ended without a route")
                }
                position = next
                continue
            }
            let stage = stages[extent.start + position.stage]
            position.stage += 1
            var branch: Branch?
            switch stage {
            case .route(let model?):
                branch = .route(model)
            case .route(nil):
                switch try requestedModel(&state) {
                case .position(let next): position = next
                case .deployment(let model): return .call(model)
                }
            case .reject(let error):
                state.note("reject: \(error.value.status) \(error.value.message)")
                throw error.value
            case .match(let match):
                for i in match.cases.indices where match.cases[i].condition.holds(&state.facts) {
                    state.note("match: case \(i + 1) holds (\(match.cases[i].condition.summary))")
                    branch = match.cases[i].branch
                    break
                }
                if branch == nil {
                    branch = match.otherwise
                    state.note(branch == nil ? "match: no case holds; continue" : "match: no case holds; else")
                }
            case .transform(let transform):
                transform.value.apply(to: &state.facts.request)
                if transform.value.touchesMessages { state.facts.invalidate() }
                state.note("transform: \(transform.value.summary)")
            case .split(let split):
                var generator = SystemRandomNumberGenerator()
                let subject = state.facts.subject(split.subject)
                let arm = split.pick(subject: subject, using: &generator)
                state.arm = split.arms[arm].name
                state.note("split by \(split.subject.name)\(subject == nil ? " (no subject: random)" : ""): arm \(split.arms[arm].name)")
                branch = split.arms[arm].branch
            case .retry(let policy):
                return .retry(policy, rest: position)
            case .fallback(let fallback):
                return .fallback(fallback, rest: position)
            case .limit(let limiter):
                let subject = state.facts.subject(limiter.settings.by) ?? ""
                let tokens = limiter.settings.tpm == nil ? 0 : state.facts.estimatedTokens()
                switch limiter.acquire(subject: subject, tokens: tokens) {
                case .failure(let error):
                    state.note("limit (\(limiter.settings.summary)): exceeded")
                    throw error
                case .success(let lease):
                    state.note("limit (\(limiter.settings.summary)): admitted")
                    if let lease { return .limited(lease, rest: position) }
                }
            case .scrub(let scrub):
                state.stages?.began(.scrub(scrub.name))
                let report: ScrubReport
                do {
                    report = try scrub.scrubber.scrub(&state.facts.request)
                } catch {
                    state.stages?.ended(error, replacements: 0)
                    throw error
                }
                let summary = report.summary
                state.stages?.ended(nil, replacements: summary.replacements.values.reduce(0, +))
                state.facts.invalidate()
                state.scrubbed.append((scrub.name, summary))
                state.responseFilters.append(report.responseFilter)
                state.note("scrub \(scrub.name): " + (summary.isEmpty ? "nothing found" : summary.replacements.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")))
            }
            switch branch {
            case nil: continue
            case .goto(let pipeline)?: position = try enter(pipeline, &state)
            case .block(let block)?: position = Position(block: block, stage: 0)
            case .route(let model)?:
                switch try route(to: model, &state) {
                case .position(let next): position = next
                case .deployment(let model): return .call(model)
                }
            }
        }
    }
}
