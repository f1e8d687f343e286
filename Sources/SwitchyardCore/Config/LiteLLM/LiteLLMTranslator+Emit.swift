/// Writes the native configuration: `server`, `providers`, `models`, `scrubbers`, `pipelines`.
extension LiteLLMTranslator {
    func emit(source: String) -> NativeYAMLWriter {
        materializeWildcardNames()
        var out = NativeYAMLWriter()
        out.comment(0, "Native Switchyard configuration generated from the LiteLLM config \(source)")
        out.comment(0, "by `switchyard import litellm`. It runs the same program as the original.")
        out.blank()
        emitServer(&out)
        emitDatabase(&out)
        let providerNames = emitProviders(&out)
        let groups = emitModels(&out, providerNames: providerNames)
        emitScrubbers(&out)
        emitPipelines(&out, groups: groups)
        return out
    }

    private func emitServer(_ out: inout NativeYAMLWriter) {
        guard masterKey != nil || requestTimeout != nil || metricsUserLabels != nil else { return }
        out.line(0, "server:")
        if let masterKey {
            out.line(1, "master_key: \(NativeYAMLWriter.scalar(masterKey.text))", from: masterKey.mark, comment: "general_settings.master_key")
        }
        if let requestTimeout {
            out.line(1, "request_timeout: \(NativeYAMLWriter.duration(requestTimeout.value))", from: requestTimeout.mark, comment: "timeout / request_timeout")
            out.line(1, "idle_timeout: \(NativeYAMLWriter.duration(requestTimeout.value))", from: requestTimeout.mark, comment: "httpx applies it to each read too")
        }
        if let metricsUserLabels {
            out.line(1, "metrics_user_labels: \(metricsUserLabels.value)", from: metricsUserLabels.mark,
                comment: "litellm_settings.enable_end_user_cost_tracking_prometheus_only")
        }
        out.blank()
    }

    /// LiteLLM keeps keys and spend only with `database_url` (or `DATABASE_URL`); without either
    /// the gateway runs without a database, as LiteLLM does.
    private func emitDatabase(_ out: inout NativeYAMLWriter) {
        out.line(0, "database:")
        if let databaseURL {
            out.line(1, "url: \(NativeYAMLWriter.scalar(databaseURL.text))", from: databaseURL.mark, comment: "general_settings.database_url")
        } else if reader.environment["DATABASE_URL"] != nil {
            out.line(1, "url: os.environ/DATABASE_URL", comment: "LiteLLM reads DATABASE_URL when database_url is not set")
        } else {
            out.line(1, "url: none", comment: "no database_url: no virtual keys or spend, as in LiteLLM")
        }
        if let spendLogRetention {
            out.line(1, "spend_log_retention: \(NativeYAMLWriter.duration(spendLogRetention.value))", from: spendLogRetention.mark,
                comment: "general_settings.maximum_spend_logs_retention_period")
        }
        out.blank()
    }

    /// One provider per distinct kind, base URL, key, version and headers; returns each
    /// deployment's provider name.
    private func emitProviders(_ out: inout NativeYAMLWriter) -> [String] {
        var names: [String: String] = [:]
        var used: [String: Int] = [:]
        var result: [String] = []
        guard !deployments.isEmpty else { return [] }
        out.line(0, "providers:")
        for deployment in deployments {
            if let name = names[deployment.providerKey] {
                result.append(name)
                continue
            }
            let base = deployment.kind.rawValue
            used[base, default: 0] += 1
            let name = used[base]! == 1 ? base : "\(base)-\(used[base]!)"
            names[deployment.providerKey] = name
            result.append(name)
            out.line(1, "\(NativeYAMLWriter.scalar(name)):", from: deployment.mark)
            out.line(2, "kind: \(deployment.kind.rawValue)", from: deployment.mark)
            if let apiBase = deployment.apiBase { out.line(2, "api_base: \(NativeYAMLWriter.scalar(apiBase))", from: deployment.mark) }
            if let apiKey = deployment.apiKey {
                out.line(2, "api_key: \(NativeYAMLWriter.scalar(apiKey))", from: deployment.mark)
            } else if let variable = deployment.keyVariable {
                out.line(2, "api_key: os.environ/\(variable)", from: deployment.mark, comment: "LiteLLM's default for this provider")
            }
            if let version = deployment.apiVersion { out.line(2, "api_version: \(NativeYAMLWriter.scalar(version))", from: deployment.mark) }
            for field in deployment.cloud { out.line(2, "\(field.key): \(NativeYAMLWriter.scalar(field.value))", from: deployment.mark) }
            if !deployment.headers.isEmpty {
                out.line(2, "headers:", from: deployment.mark)
                for header in deployment.headers {
                    out.line(3, "\(NativeYAMLWriter.scalar(header.name)): \(NativeYAMLWriter.scalar(header.value))", from: deployment.mark)
                }
            }
        }
        out.blank()
        return result
    }

    /// The native routing strategy for the file's `routing_strategy`.
    var routing: String {
        switch router.strategy?.name ?? "" {
        case "least-busy": "least-busy"
        case "latency-based-routing": "lowest-latency"
        case "usage-based-routing", "usage-based-routing-v2": "usage"
        case "cost-based-routing": "priority"
        default: "weighted"
        }
    }

    /// Model groups in first-appearance order.
    private func emitModels(_ out: inout NativeYAMLWriter, providerNames: [String]) -> [String] {
        var groups: [String] = []
        for deployment in deployments where !groups.contains(deployment.group) { groups.append(deployment.group) }
        guard !groups.isEmpty else { return [] }
        out.line(0, "models:")
        for group in groups {
            emitGroup(&out, name: group, members: deployments.indices.filter { deployments[$0].group == group }, providerNames: providerNames)
        }
        if router.tagFiltering {
            for group in groups {
                let members = deployments.indices.filter { deployments[$0].group == group }
                guard members.contains(where: { !deployments[$0].tags.isEmpty }) else { continue }
                var tags: [String] = []
                for index in members { for tag in deployments[index].tags where tag != "default" && !tags.contains(tag) { tags.append(tag) } }
                var routes: [(tag: String, model: String)] = []
                for tag in tags {
                    let name = "\(group)[tag:\(tag)]"
                    emitGroup(&out, name: name, members: members.filter { deployments[$0].tags.contains(tag) }, providerNames: providerNames)
                    routes.append((tag, name))
                }
                let defaults = members.filter { deployments[$0].tags.contains("default") }
                var otherwise: String?
                if !defaults.isEmpty {
                    otherwise = "\(group)[tag:default]"
                    emitGroup(&out, name: otherwise!, members: defaults, providerNames: providerNames)
                }
                tagRoutes[group] = (routes, otherwise)
            }
        }
        out.blank()
        return groups
    }

    /// One model: the deployments `members` (indices into `deployments`) as its targets.
    private func emitGroup(_ out: inout NativeYAMLWriter, name: String, members: [Int], providerNames: [String]) {
        let first = deployments[members[0]]
        out.line(1, "\(NativeYAMLWriter.scalar(name)):", from: first.mark, comment: name == first.group ? "model_name" : "enable_tag_filtering")
        var strategy = routing
        if strategy == "weighted", members.contains(where: { deployments[$0].order != nil }) { strategy = "priority" }
        let costOrdered = router.strategy?.name == "cost-based-routing"
        if members.count > 1 { out.line(2, "routing: \(strategy)", from: router.strategy?.mark ?? first.mark) }
        if members.count > 1, !router.cooldownDisabled {
            // LiteLLM cools a deployment down by default: 3 allowed fails, 5 s.
            out.line(2, "allowed_fails: \(router.allowedFails ?? 3)", from: first.mark, comment: router.allowedFails == nil ? "LiteLLM's default" : "allowed_fails")
            out.line(2, "cooldown: \(NativeYAMLWriter.duration(router.cooldown ?? .seconds(5)))", from: first.mark, comment: router.cooldown == nil ? "LiteLLM's default" : "cooldown_time")
        }
        // simple-shuffle weighs by `weight`, else `rpm`, else `tpm` (LiteLLM's order).
        let byWeight = members.contains { deployments[$0].weight != nil }
        let byRPM = !byWeight && members.contains { deployments[$0].rpm != nil }
        let byTPM = !byWeight && !byRPM && members.contains { deployments[$0].tpm != nil }
        let costRank = members.sorted { (deployments[$0].inputCost ?? .infinity) < (deployments[$1].inputCost ?? .infinity) }
        out.line(2, "targets:", from: first.mark)
        for index in members {
            let deployment = deployments[index]
            out.line(2, "- provider: \(NativeYAMLWriter.scalar(providerNames[index]))", from: deployment.mark)
            out.line(3, "model: \(NativeYAMLWriter.scalar(deployment.upstreamModel))", from: deployment.mark)
            let weight: Double? =
                if byWeight { deployment.weight ?? 1 } else if byRPM { Double(deployment.rpm ?? 1) } else if byTPM { Double(deployment.tpm ?? 1) } else { nil }
            if let weight, members.count > 1 {
                out.line(3, "weight: \(NativeYAMLWriter.number(weight))", from: deployment.mark,
                    comment: byWeight ? nil : byRPM ? "simple-shuffle weighs by rpm" : "simple-shuffle weighs by tpm")
            }
            if costOrdered {
                out.line(3, "order: \(costRank.firstIndex(of: index)! + 1)", from: deployment.mark, comment: "cost-based-routing: cheapest first")
            } else if let order = deployment.order {
                out.line(3, "order: \(order)", from: deployment.mark)
            }
            if let rpm = deployment.rpm { out.line(3, "rpm: \(rpm)", from: deployment.mark) }
            if let tpm = deployment.tpm { out.line(3, "tpm: \(tpm)", from: deployment.mark) }
            if let timeout = deployment.timeout { out.line(3, "timeout: \(NativeYAMLWriter.duration(timeout))", from: deployment.mark) }
            if let idle = deployment.streamTimeout ?? deployment.timeout {
                out.line(3, "idle_timeout: \(NativeYAMLWriter.duration(idle))", from: deployment.mark)
            }
            if let mock = deployment.mockResponse { out.line(3, "mock_response: \(NativeYAMLWriter.scalar(mock))", from: deployment.mark) }
            if !deployment.params.isEmpty { out.line(3, "params: \(NativeYAMLWriter.json(.object(deployment.params)))", from: deployment.mark) }
            if let id = deployment.id { out.line(3, "id: \(NativeYAMLWriter.scalar(id))", from: deployment.mark) }
            if let cost = deployment.inputCost { out.line(3, "input_cost_per_token: \(NativeYAMLWriter.number(cost))", from: deployment.mark) }
            if let cost = deployment.outputCost { out.line(3, "output_cost_per_token: \(NativeYAMLWriter.number(cost))", from: deployment.mark) }
            if let tokens = deployment.maxInputTokens { out.comment(3, "max_input_tokens: \(tokens) (model_info; not enforced)") }
        }
    }

    private func emitScrubbers(_ out: inout NativeYAMLWriter) {
        guard !guardrails.isEmpty else { return }
        out.line(0, "scrubbers:")
        for guardrail in guardrails {
            out.line(1, "\(NativeYAMLWriter.scalar(guardrail.name)):", from: guardrail.mark, comment: "guardrails[].guardrail_name")
            for field in guardrail.settings {
                out.line(2, "\(field.key): \(NativeYAMLWriter.json(field.value))", from: guardrail.mark)
            }
        }
        out.blank()
    }
}
