import Yams

/// Writes `pipelines:` — LiteLLM's router behaviour as stages: guardrails become `scrub` stages,
/// `model_group_alias` a `transform`, and each model group's fallbacks and retries a pipeline
/// `[fallback…, retry…, route: GROUP]` (LiteLLM runs fallbacks around retries around the call).
extension LiteLLMTranslator {
    /// One group's own resilience settings.
    private struct GroupPolicy {
        var contextWindow: [String] = []
        var contentPolicy: [String] = []
        var generic: [String]?
        var retryPolicy: [String: Int]?
        var mark: SourceMark?
    }

    /// The transient classes `num_retries` covers, as `retry.on` spellings.
    private static let transient: Set<String> = ["429", "timeout", "5xx", "409", "connect"]

    /// `retry` stages for a retry policy: one per distinct count (classes sharing a count share a
    /// stage); `num_retries` covers the transient classes.
    func retryStages(_ policy: [String: Int]) -> [String] {
        let numRetries = router.numRetries ?? 2
        let classes: [(name: String, on: [String], transient: Bool)] = [
            ("RateLimitErrorRetries", ["429"], true),
            ("TimeoutErrorRetries", ["timeout"], true),
            ("InternalServerErrorRetries", ["5xx", "409", "connect"], true),
            ("BadRequestErrorRetries", ["400"], false),
            ("AuthenticationErrorRetries", ["401"], false),
            ("ContentPolicyViolationErrorRetries", ["400"], false),
        ]
        var byCount: [(count: Int, on: [String])] = []
        for entry in classes {
            let count = policy[entry.name] ?? (entry.transient ? numRetries : 0)
            guard count > 0 else { continue }
            if let index = byCount.firstIndex(where: { $0.count == count }) {
                byCount[index].on += entry.on.filter { !byCount[index].on.contains($0) }
            } else {
                byCount.append((count, entry.on))
            }
        }
        let base = router.retryAfter.map(NativeYAMLWriter.duration) ?? "0ms"
        // Without retries, one attempt: the stage is still there for a request's own `num_retries`.
        if byCount.isEmpty { return ["retry: {attempts: 1, backoff: {base: \(base), max: \(base)}}"] }
        return byCount.sorted { $0.count > $1.count }.map { stage in
            let on = Set(stage.on) == Self.transient ? "" : ", on: [\(stage.on.joined(separator: ", "))]"
            return "retry: {attempts: \(stage.count + 1)\(on), backoff: {base: \(base), max: \(base)}}"
        }
    }

    func emitPipelines(_ out: inout NativeYAMLWriter, groups: [String]) {
        let known = Set(groups)
        func resolve(_ names: [(name: String, node: Node, path: String)], from group: String) -> [String] {
            var result: [String] = []
            for item in names where item.name != group && !result.contains(item.name) {
                guard known.contains(item.name) else {
                    reader.error(item.node, item.path, "no model_name '\(item.name)' to fall back to",
                        hint: Suggestion.didYouMean(item.name, among: groups) ?? "model names: \(groups.joined(separator: ", "))")
                    continue
                }
                result.append(item.name)
            }
            return Array(result.prefix(router.maxFallbacks))
        }
        var policies: [String: GroupPolicy] = [:]
        var defaults = router.defaultFallbacks.filter { name in
            if known.contains(name) { return true }
            reader.error(nil, "default_fallbacks", "no model_name '\(name)' to fall back to", hint: Suggestion.didYouMean(name, among: groups))
            return false
        }
        defaults = Array(defaults.prefix(router.maxFallbacks))
        for list in router.fallbacks {
            if list.group == "*" {
                defaults = resolve(list.to, from: "*")
                continue
            }
            guard checkGroup(list, known: known, groups: groups) else { continue }
            policies[list.group, default: GroupPolicy(mark: list.mark)].generic = resolve(list.to, from: list.group)
        }
        for list in router.contextWindowFallbacks where checkGroup(list, known: known, groups: groups) {
            policies[list.group, default: GroupPolicy(mark: list.mark)].contextWindow = resolve(list.to, from: list.group)
        }
        for list in router.contentPolicyFallbacks where checkGroup(list, known: known, groups: groups) {
            policies[list.group, default: GroupPolicy(mark: list.mark)].contentPolicy = resolve(list.to, from: list.group)
        }
        // enable_pre_call_checks: a prompt longer than every deployment's window never goes out.
        var windows: [String: Int] = [:]
        if router.preCallChecks {
            for group in groups {
                let limits = deployments.filter { $0.group == group }.map(\.maxInputTokens)
                guard !limits.contains(where: { $0 == nil }), let largest = limits.compactMap({ $0 }).max() else { continue }
                windows[group] = largest
                if policies[group] == nil { policies[group] = GroupPolicy() }
            }
        }
        for group in tagRoutes.keys where policies[group] == nil { policies[group] = GroupPolicy() }
        // A default fallback target gets its own pipeline, so it never falls back to itself.
        for name in defaults where policies[name] == nil { policies[name] = GroupPolicy() }
        for (group, policy) in router.groupRetryPolicy where known.contains(group) {
            policies[group, default: GroupPolicy()].retryPolicy = policy
        }
        var aliases: [(alias: String, model: String, mark: SourceMark)] = []
        for alias in router.aliases {
            if known.contains(alias.model) {
                aliases.append(alias)
            } else {
                reader.append([ConfigDiagnostic(file: reader.file, line: alias.mark.line, column: alias.mark.column, path: alias.mark.path,
                    message: "model_group_alias points to '\(alias.model)', which is no model_name", hint: Suggestion.didYouMean(alias.model, among: groups))])
            }
        }
        let globalRetries = retryStages(router.retryPolicy)
        let optional = guardrails.filter { !$0.defaultOn }
        guard !guardrails.isEmpty || !aliases.isEmpty || !globalRetries.isEmpty || !policies.isEmpty || !defaults.isEmpty else { return }

        out.line(0, "pipelines:")
        out.line(1, "main:")
        for guardrail in guardrails where guardrail.defaultOn {
            out.line(2, "- scrub: \(NativeYAMLWriter.scalar(guardrail.name))", from: guardrail.mark, comment: "guardrail, default_on")
        }
        if !optional.isEmpty {
            out.line(2, "- match:", comment: "guardrails a request asks for: \"guardrails\": [NAME]")
            for guardrail in optional {
                let name = NativeYAMLWriter.scalar(guardrail.name)
                let any = (0..<8).map { "{param.guardrails.\($0): \(name)}" }.joined(separator: ", ")
                out.line(3, "- when: {any: [\(any)]}", from: guardrail.mark)
                out.line(4, "then: [{scrub: \(name)}]", from: guardrail.mark)
            }
        }
        if !aliases.isEmpty {
            out.line(2, "- match:", comment: "model_group_alias")
            for alias in aliases {
                out.line(3, "- when: {model: \(NativeYAMLWriter.scalar(alias.alias))}", from: alias.mark)
                out.line(4, "then: [{transform: {model: \(NativeYAMLWriter.scalar(alias.model))}}]", from: alias.mark)
            }
        }
        let ordered = groups.filter { policies[$0] != nil }.sorted { !$0.contains("*") && $1.contains("*") }
        let defaultStages = (defaults.isEmpty ? [] : ["fallback: {to: \(NativeYAMLWriter.list(defaults)), on: [error]}"]) + globalRetries
        if ordered.isEmpty {
            for stage in defaultStages { out.line(2, "- \(stage)", from: router.defaultFallbacksMark) }
            out.line(2, "- route-requested")
        } else {
            out.line(2, "- match:", comment: "model groups with their own fallbacks or retries")
            for group in ordered {
                let name = NativeYAMLWriter.scalar(group)
                if group.contains("*") {
                    let exact = groups.filter { !$0.contains("*") && Self.glob(group, matches: $0) }
                    let exclusion = exact.isEmpty ? "" : ", not_in: \(NativeYAMLWriter.list(exact))"
                    out.line(3, "- when: {model: {glob: \(name)\(exclusion)}}", from: policies[group]?.mark)
                } else {
                    out.line(3, "- when: {model: \(name)}", from: policies[group]?.mark)
                }
                out.line(4, "goto: \(NativeYAMLWriter.scalar(Self.pipelineName(group)))", from: policies[group]?.mark)
            }
            out.line(3, "- else:")
            for stage in defaultStages { out.line(5, "- \(stage)", from: router.defaultFallbacksMark) }
            out.line(5, "- route-requested")
            for group in ordered {
                let policy = policies[group]!
                out.line(1, "\(NativeYAMLWriter.scalar(Self.pipelineName(group))):", from: policy.mark, comment: "model group \(group)")
                if let window = windows[group] {
                    out.line(2, "- match:", from: policy.mark, comment: "enable_pre_call_checks, max_input_tokens \(window)")
                    out.line(3, "- when: {tokens: {gt: \(window)}}", from: policy.mark)
                    if let first = policy.contextWindow.first {
                        out.line(4, "route: \(NativeYAMLWriter.scalar(first))", from: policy.mark)
                    } else {
                        let message = NativeYAMLWriter.scalar("The prompt is longer than the context window of '\(group)' (\(window) tokens).")
                        out.line(4, "then: [{reject: {status: 400, message: \(message)}}]", from: policy.mark)
                    }
                }
                if !policy.contextWindow.isEmpty {
                    out.line(2, "- fallback: {to: \(NativeYAMLWriter.list(policy.contextWindow)), on: [context_window]}", from: policy.mark, comment: "context_window_fallbacks")
                }
                if !policy.contentPolicy.isEmpty {
                    out.line(2, "- fallback: {to: \(NativeYAMLWriter.list(policy.contentPolicy)), on: [content_policy]}", from: policy.mark, comment: "content_policy_fallbacks")
                }
                let generic = (policy.generic ?? defaults).filter { $0 != group }
                if !generic.isEmpty {
                    out.line(2, "- fallback: {to: \(NativeYAMLWriter.list(generic)), on: [error]}", from: policy.mark,
                        comment: policy.generic == nil ? "default_fallbacks" : "fallbacks")
                }
                var retryPolicy = router.retryPolicy
                for (key, value) in policy.retryPolicy ?? [:] { retryPolicy[key] = value }
                for stage in retryStages(retryPolicy) { out.line(2, "- \(stage)", from: policy.mark) }
                if let routes = tagRoutes[group] {
                    out.line(2, "- match:", from: policy.mark, comment: "enable_tag_filtering: the request's tags")
                    for route in routes.tags {
                        let tag = NativeYAMLWriter.scalar(route.tag)
                        let any = (0..<4).flatMap { ["{param.tags.\($0): \(tag)}", "{param.metadata.tags.\($0): \(tag)}"] }.joined(separator: ", ")
                        out.line(3, "- when: {any: [\(any)]}", from: policy.mark)
                        out.line(4, "route: \(NativeYAMLWriter.scalar(route.model))", from: policy.mark)
                    }
                    out.line(3, "- else: {route: \(NativeYAMLWriter.scalar(routes.otherwise ?? group))}", from: policy.mark)
                } else {
                    out.line(2, "- route: \(NativeYAMLWriter.scalar(group))", from: policy.mark)
                }
            }
        }
        out.blank()
    }

    private func checkGroup(_ list: FallbackList, known: Set<String>, groups: [String]) -> Bool {
        if known.contains(list.group) { return true }
        reader.append([ConfigDiagnostic(file: reader.file, line: list.mark.line, column: list.mark.column, path: list.mark.path,
            message: "fallbacks for '\(list.group)', which is no model_name", hint: Suggestion.didYouMean(list.group, among: groups))])
        return false
    }

    static func pipelineName(_ group: String) -> String { "\(group).policy" }

    /// `*` matches any run of characters (one star, as in LiteLLM's wildcard names).
    static func glob(_ pattern: String, matches name: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == name }
        let prefix = pattern[..<star], suffix = pattern[pattern.index(after: star)...]
        return name.count >= prefix.count + suffix.count && name.hasPrefix(prefix) && name.hasSuffix(suffix)
    }
}
