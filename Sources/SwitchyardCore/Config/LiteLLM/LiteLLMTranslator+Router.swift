import Foundation
import Yams

/// `router_settings` and the `litellm_settings` keys that overlap them, as read.
struct RouterSettings {
    var strategy: (name: String, mark: SourceMark)?
    var numRetries: Int?
    /// `retry_policy`: exception class → retries.
    var retryPolicy: [String: Int] = [:]
    /// `model_group_retry_policy`: group → (exception class → retries).
    var groupRetryPolicy: [String: [String: Int]] = [:]
    var retryAfter: Duration?
    var allowedFails: Int?
    var cooldown: Duration?
    var cooldownDisabled = false
    var preCallChecks = false
    var tagFiltering = false
    var fallbacks: [FallbackList] = []
    var contextWindowFallbacks: [FallbackList] = []
    var contentPolicyFallbacks: [FallbackList] = []
    var defaultFallbacks: [String] = []
    var defaultFallbacksMark: SourceMark?
    var maxFallbacks = 5
    var aliases: [(alias: String, model: String, mark: SourceMark)] = []
}

/// One `{group: [fallback, …]}` entry of a fallback list.
struct FallbackList {
    var group: String
    var to: [(name: String, node: Node, path: String)]
    var mark: SourceMark
}

extension LiteLLMTranslator {
    static let retryPolicyClasses = [
        "BadRequestErrorRetries", "AuthenticationErrorRetries", "TimeoutErrorRetries", "RateLimitErrorRetries",
        "ContentPolicyViolationErrorRetries", "InternalServerErrorRetries",
    ]
    static let strategies = [
        "simple-shuffle", "least-busy", "usage-based-routing", "usage-based-routing-v2", "latency-based-routing",
        "cost-based-routing",
    ]

    func readRouterSetting(_ field: (key: String, keyNode: Node, value: Node), path: String, section: String) {
        let node = field.value
        switch field.key {
        case "routing_strategy":
            guard let name = reader.string(node, path) else { return }
            guard Self.strategies.contains(name) else {
                reader.error(node, path, "unknown routing strategy '\(name)'",
                    hint: Suggestion.didYouMean(name, among: Self.strategies) ?? "one of: \(Self.strategies.joined(separator: ", "))")
                return
            }
            router.strategy = (name, reader.mark(node, path))
            let (status, detail): (MigrationNote.Status, String) =
                switch name {
                case "simple-shuffle": (.exact, "routing: weighted (weight, else rpm, else tpm)")
                case "least-busy": (.exact, "routing: least-busy")
                case "latency-based-routing": (.approximate, "routing: lowest-latency (moving average of time to first byte; no buffer)")
                case "cost-based-routing": (.approximate, "routing: priority, deployments ordered by input cost")
                default: (.approximate, "routing: usage (most rpm/tpm headroom this minute, per process)")
                }
            note(field.keyNode, path, status, detail)
        case "num_retries":
            router.numRetries = reader.int(node, path, range: 0...99)
            note(field.keyNode, path, .exact, "a retry stage on connect, timeout, 408, 409, 429, 5xx")
        case "retry_policy":
            router.retryPolicy = readRetryPolicy(node, path)
            note(field.keyNode, path, .approximate, "one retry stage per distinct count; bad-request and content-policy retries both match status 400")
        case "model_group_retry_policy":
            for group in reader.mapping(node, path) ?? [] {
                router.groupRetryPolicy[group.key] = readRetryPolicy(group.value, join(path, group.key))
            }
            note(field.keyNode, path, .approximate, "the group's own retry stages")
        case "retry_after":
            router.retryAfter = reader.duration(node, path)
            note(field.keyNode, path, .exact, "retry.backoff.base")
        case "timeout", "request_timeout":
            if let value = reader.duration(node, path) { requestTimeout = (value, reader.mark(node, path)) }
            note(field.keyNode, path, .exact, "server.request_timeout and server.idle_timeout")
        case "allowed_fails":
            router.allowedFails = reader.int(node, path, range: 1...1_000_000)
            note(field.keyNode, path, .approximate, "models.NAME.allowed_fails: consecutive failures of a deployment (LiteLLM counts failures per minute)")
        case "cooldown_time":
            router.cooldown = reader.duration(node, path)
            note(field.keyNode, path, .exact, "models.NAME.cooldown")
        case "fallbacks":
            router.fallbacks = readFallbacks(node, path)
            note(field.keyNode, path, .exact, "a fallback stage, on: [error], in the group's pipeline")
        case "context_window_fallbacks":
            router.contextWindowFallbacks = readFallbacks(node, path)
            note(field.keyNode, path, .exact, "a fallback stage, on: [context_window]")
        case "content_policy_fallbacks":
            router.contentPolicyFallbacks = readFallbacks(node, path)
            note(field.keyNode, path, .exact, "a fallback stage, on: [content_policy]")
        case "default_fallbacks":
            router.defaultFallbacks = readNames(node, path).map(\.name)
            router.defaultFallbacksMark = reader.mark(node, path)
            note(field.keyNode, path, .exact, "a fallback stage, on: [error], for groups without their own fallbacks")
        case "max_fallbacks":
            router.maxFallbacks = reader.int(node, path, range: 1...100) ?? router.maxFallbacks
            note(field.keyNode, path, .exact, "fallback lists are cut to this length")
        case "model_group_alias":
            for alias in reader.mapping(node, path) ?? [] {
                let aliasPath = join(path, alias.key)
                var target: String?
                if case .mapping = alias.value {
                    // `{model: NAME, hidden: true}`
                    for entry in reader.mapping(alias.value, aliasPath) ?? [] where entry.key == "model" {
                        target = reader.string(entry.value, join(aliasPath, "model"))
                    }
                } else {
                    target = reader.string(alias.value, aliasPath)
                }
                if let target { router.aliases.append((alias.key, target, reader.mark(alias.value, aliasPath))) }
            }
            note(field.keyNode, path, .exact, "a transform stage in main that renames the model")
        case "enable_pre_call_checks":
            router.preCallChecks = reader.bool(node, path) ?? false
            note(field.keyNode, path, .approximate,
                "a group whose deployments all set model_info.max_input_tokens sends longer prompts (estimated at 4 bytes a token) to its first context_window_fallback, or answers 400; deployments are not filtered one by one")
        case "enable_tag_filtering":
            router.tagFiltering = reader.bool(node, path) ?? false
            note(field.keyNode, path, .approximate, "a match stage on the request's tags picks the deployments with that tag")
        case "drop_params":
            _ = reader.bool(node, path)
            note(field.keyNode, path, .approximate, "parameters are forwarded as sent (OpenAI-compatible upstreams ignore or reject them themselves)")
        case "allowed_fails_policy":
            note(field.keyNode, path, .approximate, "per-class allowed fails are not separate; allowed_fails applies to all")
        case "cooldown_on":
            note(field.keyNode, path, .approximate, "ignored; cooldown counts connect errors, timeouts, 429 and 5xx")
        case "enable_end_user_cost_tracking_prometheus_only" where section == "litellm_settings":
            if let value = reader.bool(node, path) { metricsUserLabels = (value, reader.mark(node, path)) }
            note(field.keyNode, path, .exact, "server.metrics_user_labels: end_user on virtual keys' metrics")
        case "disable_cooldowns":
            router.cooldownDisabled = reader.bool(node, path) ?? false
            note(field.keyNode, path, .exact, "no allowed_fails on the models")
        default:
            unsupportedKey(field.keyNode, path)
        }
    }

    private func readRetryPolicy(_ node: Node, _ path: String) -> [String: Int] {
        var policy: [String: Int] = [:]
        for entry in reader.mapping(node, path) ?? [] {
            let entryPath = join(path, entry.key)
            guard Self.retryPolicyClasses.contains(entry.key) else {
                reader.error(entry.keyNode, entryPath, "unknown retry policy class '\(entry.key)'",
                    hint: Suggestion.didYouMean(entry.key, among: Self.retryPolicyClasses) ?? "one of: \(Self.retryPolicyClasses.joined(separator: ", "))")
                continue
            }
            if let count = reader.int(entry.value, entryPath, range: 0...99) { policy[entry.key] = count }
        }
        return policy
    }

    /// `[{group: [a, b]}, …]` (LiteLLM also accepts one mapping with several groups).
    private func readFallbacks(_ node: Node, _ path: String) -> [FallbackList] {
        let items: [(Node, String)] =
            if case .mapping = node { [(node, path)] }
            else { (reader.sequence(node, path) ?? []).enumerated().map { ($1, "\(path)[\($0)]") } }
        var lists: [FallbackList] = []
        for (item, itemPath) in items {
            for entry in reader.mapping(item, itemPath) ?? [] {
                let entryPath = join(itemPath, entry.key)
                lists.append(FallbackList(group: entry.key, to: readNames(entry.value, entryPath), mark: reader.mark(entry.keyNode, entryPath)))
            }
        }
        return lists
    }

    private func readNames(_ node: Node, _ path: String) -> [(name: String, node: Node, path: String)] {
        if case .scalar = node { return reader.string(node, path).map { [($0, node, path)] } ?? [] }
        return (reader.sequence(node, path) ?? []).enumerated().compactMap { (i, item) -> (name: String, node: Node, path: String)? in
            let itemPath = "\(path)[\(i)]"
            // LiteLLM also accepts `{model: NAME, …}` entries.
            if case .mapping = item {
                guard let model = reader.mapping(item, itemPath)?.first(where: { $0.key == "model" }),
                    let name = reader.string(model.value, join(itemPath, "model"))
                else { return nil }
                return (name, model.value, itemPath)
            }
            return reader.string(item, itemPath).map { ($0, item, itemPath) }
        }
    }
}

extension LiteLLMTranslator {
    /// Fallback lists may name models that only a wildcard deployment (`*`, `openai/*`) serves, as
    /// LiteLLM allows. Each such name becomes a model of its own, with the wildcard's deployments
    /// and the star replaced by what it matched, so fallbacks and policies can name it.
    func materializeWildcardNames() {
        let lists = router.fallbacks + router.contextWindowFallbacks + router.contentPolicyFallbacks
        var names = router.defaultFallbacks
        for list in lists {
            if list.group != "*" { names.append(list.group) }
            names += list.to.map(\.name)
        }
        var groups = Set(deployments.map(\.group))
        let wildcards = deployments.map(\.group).filter { $0.contains("*") }
        for name in names where !groups.contains(name) {
            // The most specific pattern wins, as when a request names the model.
            guard let pattern = wildcards.filter({ Self.glob($0, matches: name) }).max(by: { $0.count < $1.count }),
                let star = pattern.firstIndex(of: "*")
            else { continue }
            let matched = String(name.dropFirst(pattern.distance(from: pattern.startIndex, to: star)).dropLast(pattern.count - pattern.distance(from: pattern.startIndex, to: star) - 1))
            for deployment in deployments where deployment.group == pattern {
                var copy = deployment
                copy.group = name
                copy.upstreamModel = deployment.upstreamModel.replacingOccurrences(of: "*", with: matched)
                deployments.append(copy)
            }
            groups.insert(name)
        }
    }
}
