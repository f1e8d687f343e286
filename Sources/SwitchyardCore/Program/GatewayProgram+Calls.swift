import NIOCore

/// The stages that wait: `retry` and `fallback` around the rest of a pipeline, and the upstream
/// call itself (split from the walk in `GatewayProgram+Execution.swift`).
extension GatewayProgram {
    nonisolated(nonsending) func retry<U: ProviderAdapter>(
        _ policy: RetryPolicy, from position: Position, _ state: inout ExecutionState, _ context: CallContext, _ upstream: U
    ) async throws(GatewayError) -> UpstreamReply {
        let checkpoint = state.checkpoint()
        let attempts = context.overrides.numRetries.map { $0 + 1 } ?? policy.attempts
        var attempt = 1
        while true {
            state.beginAttempt()
            context.stages?.began(.retryAttempt(attempt, of: attempts))
            do {
                let reply = try await run(.position(position), &state, context, upstream)
                context.stages?.ended(nil, replacements: 0)
                return reply
            } catch {
                context.stages?.ended(error, replacements: 0)
                state.rollBack(to: checkpoint)
                guard attempt < attempts, policy.shouldRetry(error) else {
                    if attempt > 1 || attempts > 1 { state.note("retry: giving up after attempt \(attempt) (\(error.status))") }
                    throw error
                }
                var generator = SystemRandomNumberGenerator()
                let delay = policy.delay(beforeRetry: attempt, after: error, using: &generator)
                state.note("retry: attempt \(attempt) failed with \(error.status); waiting \(delay.milliseconds) ms")
                do {
                    try await context.sleep(delay)
                } catch {
                    throw GatewayError(.upstreamError, status: 499, message: "The request was cancelled while waiting to retry.")
                }
                attempt += 1
                state.retries += 1
            }
        }
    }

    nonisolated(nonsending) func fallback<U: ProviderAdapter>(
        _ fallback: FallbackStage, from position: Position, _ state: inout ExecutionState, _ context: CallContext, _ upstream: U
    ) async throws(GatewayError) -> UpstreamReply {
        if context.overrides.disableFallbacks {
            state.note("fallback: disabled by the request")
            return try await run(.position(position), &state, context, upstream)
        }
        return try await runFalling(
            back: fallback.to, on: fallback.on, note: "fallback", from: { _ throws(GatewayError) in .position(position) },
            &state, context, upstream)
    }

    /// Runs `primary`; when it fails in a way `classes` covers, tries each model of `alternatives`
    /// in order, rolling the request back between tries. Shared by the `fallback` stage and the
    /// request's own `fallbacks: [...]`.
    nonisolated(nonsending) func runFalling<U: ProviderAdapter>(
        back alternatives: [Int], on classes: FailureClassSet, note: String,
        from primary: (inout ExecutionState) throws(GatewayError) -> Next,
        _ state: inout ExecutionState, _ context: CallContext, _ upstream: U
    ) async throws(GatewayError) -> UpstreamReply {
        let checkpoint = state.checkpoint()
        state.beginAttempt()
        context.stages?.began(.fallbackHop(0, model: nil))
        do {
            let reply = try await run(try primary(&state), &state, context, upstream)
            context.stages?.ended(nil, replacements: 0)
            return reply
        } catch {
            context.stages?.ended(error, replacements: 0)
            state.rollBack(to: checkpoint)
            var failure = FailureClass(error)
            guard classes.covers(failure) else { throw error }
            var lastError = error
            for model in alternatives {
                state.note("\(note): \(failure.rawValue) (\(lastError.status)) → \(modelNames[model])")
                state.fallbacks += 1
                state.beginAttempt()
                context.stages?.began(.fallbackHop(state.fallbacks, model: modelNames[model]))
                do {
                    let reply = try await run(try route(to: model, &state), &state, context, upstream)
                    context.stages?.ended(nil, replacements: 0)
                    return reply
                } catch {
                    context.stages?.ended(error, replacements: 0)
                    state.rollBack(to: checkpoint)
                    lastError = error
                    failure = FailureClass(error)
                    guard classes.covers(failure) else { throw error }
                }
            }
            throw lastError
        }
    }

    nonisolated(nonsending) func callDeployment<U: ProviderAdapter>(
        _ model: CompiledModel, _ state: inout ExecutionState, _ context: CallContext, _ upstream: U
    ) async throws(GatewayError) -> UpstreamReply {
        guard !model.targets.isEmpty else {
            throw GatewayError(.modelUnavailable, status: 503, message: model.unavailableReason ?? "model is not available", param: "model")
        }
        if let failure = context.overrides.simulatedFailure, state.fallbacks == 0,
            let error = DryRunAdapter.simulatedError(failure, label: model.name)
        {
            // LiteLLM's `mock_testing_*` switches: the requested group fails without a call,
            // so the fallbacks run.
            state.note("simulated failure of \(model.name): \(failure)")
            throw error
        }
        var generator = SystemRandomNumberGenerator()
        let tokens = model.needsTokens ? state.facts.estimatedTokens() : 0
        let index = model.pickIndex(tokens: tokens, using: &generator)
        var target = model.targets[index]
        if model.isWildcard {
            target = model.resolvingWildcard(target, requested: state.facts.request["model"]?.stringValue ?? state.facts.request.requestedModel)
        }
        state.routed = (model, index)
        state.wildcardTarget = model.isWildcard ? target : nil
        state.attempts += 1
        state.note("route \(model.name) (\(model.strategy.rawValue)) → \(target.label)")
        let stats = model.stats[index]
        stats.begin(tokens: tokens)
        let start = model.needsLatency ? ContinuousClock.now : nil
        let reply: UpstreamReply
        do {
            if target.defaultParams.isEmpty {
                reply = try await upstream.chat(state.facts.request, target: target, context: context)
            } else {
                var request = state.facts.request
                for param in target.defaultParams where request[param.key] == nil {
                    request.set(param.key, param.value)
                }
                reply = try await upstream.chat(request, target: target, context: context)
            }
        } catch {
            stats.end(latency: nil)
            let failure = FailureClass(error)
            // Only failures of the target itself count towards its cooldown, not bad requests.
            if failure != .client && failure != .contextWindow && failure != .contentPolicy {
                model.record(success: false, target: index)
            }
            state.note("upstream \(target.label) failed: \(error.status) (\(failure.rawValue))")
            throw error
        }
        switch reply {
        case .complete:
            stats.end(latency: start.map { ContinuousClock.now - $0 })
            model.record(success: true, target: index)
            return reply
        case .stream(let stream):
            // Read the first chunk before answering: until a byte reaches the client, a broken
            // stream is an ordinary failure that retry and fallback can still handle.
            var iterator = stream.makeAsyncIterator()
            let first: ByteBuffer?
            do {
                first = try await iterator.next()
            } catch {
                stats.end(latency: nil)
                model.record(success: false, target: index)
                state.note("upstream \(target.label) stream failed before its first byte")
                // A translator's own error (an error event, a corrupt frame) keeps its class.
                if let error = error as? GatewayError { throw error }
                throw GatewayError(.upstreamUnreachable, status: 502, message: "upstream provider '\(target.providerName)' failed before sending any data")
            }
            if let start { stats.recordLatency(ContinuousClock.now - start) }
            model.record(success: true, target: index)
            let lease = Lease { stats.end(latency: nil) }
            return .stream(ByteStream(first: first, rest: iterator, leases: [lease]))
        }
    }
}
