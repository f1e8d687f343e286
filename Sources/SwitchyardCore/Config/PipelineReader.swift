import Yams

/// Reads the `pipelines:` section into specs with source marks. Conditions, transforms and
/// policies are built here (they reference nothing else in the file); names of pipelines, models
/// and scrubbers are kept as `NameRef`s for the compiler to resolve.
struct PipelineReader {
    let reader: YAMLReader

    static let stageKeywords = ["match", "split", "transform", "scrub", "retry", "fallback", "limit", "route", "reject"]
    typealias Entries = [(key: String, keyNode: Node, value: Node)]

    func pipelines(_ node: Node) -> [PipelineSpec] {
        guard let entries = reader.mapping(node, "pipelines") else { return [] }
        var pipelines: [PipelineSpec] = []
        for entry in entries {
            let path = join("pipelines", entry.key)
            let errorsBefore = reader.errorCount
            let stages = stageList(entry.value, path)
            var pipeline = PipelineSpec(name: entry.key, mark: reader.mark(entry.keyNode, path), stages: stages ?? [])
            pipeline.isIncomplete = reader.errorCount != errorsBefore
            pipelines.append(pipeline)
        }
        return pipelines
    }

    func scrubbers(_ node: Node) -> [ScrubberDeclaration] {
        guard let entries = reader.mapping(node, "scrubbers") else { return [] }
        return entries.compactMap { entry in
            let path = join("scrubbers", entry.key)
            guard case .object(let settings)? = reader.json(entry.value, path) else {
                reader.error(entry.value, path, "expected a mapping of scrubber settings")
                return nil
            }
            return ScrubberDeclaration(name: entry.key, settings: settings, mark: reader.mark(entry.keyNode, path))
        }
    }

    /// A list of stages (a pipeline body or a `then:` list).
    func stageList(_ node: Node, _ path: String) -> [StageSpec]? {
        guard let items = reader.sequence(node, path) else { return nil }
        return items.enumerated().compactMap { i, item in stage(item, "\(path)[\(i)]") }
    }

    func stage(_ node: Node, _ path: String) -> StageSpec? {
        if case .scalar(let scalar) = node {
            if scalar.string == "route-requested" { return StageSpec(.route(nil), mark: reader.mark(node, path)) }
            reader.error(node, path, "unknown stage '\(scalar.string)'",
                hint: Suggestion.didYouMean(scalar.string, among: Self.stageKeywords + ["route-requested"])
                    ?? "a stage is a one-key mapping such as '- route: MODEL'")
            return nil
        }
        guard let entries = reader.mapping(node, path), let first = entries.first else {
            if case .mapping = node { reader.error(node, path, "empty stage") }
            return nil
        }
        for extra in entries.dropFirst() {
            reader.error(extra.keyNode, join(path, extra.key), "a stage is a one-key mapping; '\(extra.key)' is a second key",
                hint: "start a new list item with '- \(extra.key): …'")
        }
        let stagePath = join(path, first.key)
        let mark = reader.mark(first.keyNode, stagePath)
        let value = first.value
        let kind: StageSpec.Kind?
        switch first.key {
        case "route": kind = route(value, stagePath)
        case "reject": kind = reject(value, stagePath)
        case "match": kind = match(value, stagePath)
        case "transform": kind = transform(value, stagePath)
        case "split": kind = split(value, stagePath)
        case "retry": kind = retry(value, stagePath).map { .retry($0) }
        case "fallback": kind = fallback(value, stagePath)
        case "limit": kind = limit(value, stagePath).map { .limit($0) }
        case "scrub": kind = name(value, stagePath).map { .scrub($0) }
        default:
            reader.error(first.keyNode, stagePath, "unknown stage '\(first.key)'",
                hint: Suggestion.didYouMean(first.key, among: Self.stageKeywords) ?? "stages: \(Self.stageKeywords.joined(separator: ", "))")
            return nil
        }
        return kind.map { StageSpec($0, mark: mark) }
    }

    /// A scalar name with its mark.
    func name(_ node: Node, _ path: String) -> NameRef? {
        reader.string(node, path).map { NameRef($0, mark: reader.mark(node, path)) }
    }

    private func route(_ node: Node, _ path: String) -> StageSpec.Kind? {
        if case .mapping = node {
            guard let entries = reader.mapping(node, path) else { return nil }
            reader.checkKeys(entries, allowed: ["model"], path)
            guard let model = entries.first(where: { $0.key == "model" }) else {
                reader.error(node, path, "'route' needs a model")
                return nil
            }
            return name(model.value, join(path, "model")).map { .route($0) }
        }
        return name(node, path).map { .route($0) }
    }

    private func reject(_ node: Node, _ path: String) -> StageSpec.Kind? {
        if case .scalar = node {
            return reader.string(node, path).map { .reject(status: 403, message: $0) }
        }
        guard let entries = reader.mapping(node, path) else { return nil }
        reader.checkKeys(entries, allowed: ["status", "message"], path)
        var status = 403
        var message = "The request was rejected by the gateway's policy."
        for entry in entries {
            switch entry.key {
            case "status": status = reader.int(entry.value, join(path, "status"), range: 400...599) ?? status
            case "message": message = reader.string(entry.value, join(path, "message")) ?? message
            default: break
            }
        }
        return .reject(status: status, message: message)
    }

    private func match(_ node: Node, _ path: String) -> StageSpec.Kind? {
        guard let items = reader.sequence(node, path) else { return nil }
        var cases: [MatchCaseSpec] = []
        var otherwise: BranchSpec?
        for (i, item) in items.enumerated() {
            let itemPath = "\(path)[\(i)]"
            guard let entries = reader.mapping(item, itemPath) else { continue }
            if let elseEntry = entries.first(where: { $0.key == "else" }) {
                reader.checkKeys(entries, allowed: ["else"], itemPath)
                if i != items.count - 1 { reader.error(elseEntry.keyNode, join(itemPath, "else"), "'else' must be the last case") }
                otherwise = elseBranch(elseEntry.value, join(itemPath, "else"))
                continue
            }
            reader.checkKeys(entries, allowed: ["when", "goto", "then", "route"], itemPath)
            guard let when = entries.first(where: { $0.key == "when" }) else {
                reader.error(item, itemPath, "a case needs 'when' (or is an 'else')")
                continue
            }
            // A condition that did not parse still lets its branch be checked (the file is
            // rejected anyway); `.any([])` never holds.
            let condition = self.condition(when.value, join(itemPath, "when")) ?? .any([])
            guard let branch = branch(entries, item, itemPath) else { continue }
            cases.append(MatchCaseSpec(condition: condition, branch: branch, mark: reader.mark(item, itemPath)))
        }
        return .match(cases: cases, otherwise: otherwise)
    }

    /// `goto: P`, `then: [...]` or `route: M` among a case's or an arm's keys.
    func branch(_ entries: Entries, _ node: Node, _ path: String) -> BranchSpec? {
        let given = entries.filter { ["goto", "then", "route"].contains($0.key) }
        guard let first = given.first else {
            reader.error(node, path, "needs one of 'goto', 'then' or 'route'")
            return nil
        }
        for extra in given.dropFirst() {
            reader.error(extra.keyNode, join(path, extra.key), "only one of 'goto', 'then' or 'route' may be given")
        }
        let branchPath = join(path, first.key)
        switch first.key {
        case "goto": return name(first.value, branchPath).map { .goto($0) }
        case "route":
            if case .scalar(let scalar) = first.value, scalar.string == "route-requested" || scalar.string == "requested" {
                return .then([StageSpec(.route(nil), mark: reader.mark(first.value, branchPath))], mark: reader.mark(first.value, branchPath))
            }
            return name(first.value, branchPath).map { .route($0) }
        default:
            return stageList(first.value, branchPath).map { .then($0, mark: reader.mark(first.value, branchPath)) }
        }
    }

    /// `else:` — `route-requested`, a pipeline name (goto), a stage list, or a branch mapping.
    private func elseBranch(_ node: Node, _ path: String) -> BranchSpec? {
        switch node {
        case .scalar(let scalar) where scalar.string == "route-requested":
            return .then([StageSpec(.route(nil), mark: reader.mark(node, path))], mark: reader.mark(node, path))
        case .scalar:
            return name(node, path).map { .goto($0) }
        case .sequence:
            return stageList(node, path).map { .then($0, mark: reader.mark(node, path)) }
        default:
            guard let entries = reader.mapping(node, path) else { return nil }
            reader.checkKeys(entries, allowed: ["goto", "then", "route"], path)
            return branch(entries, node, path)
        }
    }

    private func split(_ node: Node, _ path: String) -> StageSpec.Kind? {
        guard let entries = reader.mapping(node, path) else { return nil }
        reader.checkKeys(entries, allowed: ["by", "arms", "seed"], path)
        var subject = SplitSubject.random
        if let by = entries.first(where: { $0.key == "by" }), let text = reader.string(by.value, join(path, "by")) {
            if let parsed = SplitSubject(spelling: text) {
                subject = parsed
            } else {
                let names = ["user", "key", "model", "header.NAME", "metadata.KEY", "random"]
                reader.error(by.value, join(path, "by"), "unknown split subject '\(text)'",
                    hint: Suggestion.didYouMean(text, among: names) ?? "one of: \(names.joined(separator: ", "))")
            }
        }
        guard let armsEntry = entries.first(where: { $0.key == "arms" }) else {
            reader.error(node, path, "'split' needs 'arms'")
            return nil
        }
        var arms: [SplitArmSpec] = []
        var names = Set<String>()
        for (i, item) in (reader.sequence(armsEntry.value, join(path, "arms")) ?? []).enumerated() {
            let armPath = "\(path).arms[\(i)]"
            guard let fields = reader.mapping(item, armPath) else { continue }
            reader.checkKeys(fields, allowed: ["name", "weight", "goto", "then", "route"], armPath)
            let name = fields.first { $0.key == "name" }.flatMap { reader.string($0.value, join(armPath, "name")) } ?? "arm-\(i + 1)"
            if !names.insert(name).inserted { reader.error(item, armPath, "two arms are named '\(name)'") }
            var weight = 1.0
            if let weightEntry = fields.first(where: { $0.key == "weight" }), let value = reader.double(weightEntry.value, join(armPath, "weight")) {
                if value > 0 { weight = value } else { reader.error(weightEntry.value, join(armPath, "weight"), "weight must be positive, found \(value)") }
            }
            guard let branch = branch(fields, item, armPath) else { continue }
            arms.append(SplitArmSpec(name: name, weight: weight, branch: branch, mark: reader.mark(item, armPath)))
        }
        if arms.isEmpty { reader.error(armsEntry.value, join(path, "arms"), "a split needs at least one arm") }
        let seed = entries.first { $0.key == "seed" }.flatMap { reader.string($0.value, join(path, "seed")) }
        return .split(subject: subject, arms: arms, seed: seed)
    }
}
