import SwitchyardScrub
import Yams

/// A `guardrails[]` entry that maps onto a scrubber.
struct Guardrail {
    var name: String
    var mark: SourceMark
    /// Scrubber settings: `detect`, `patterns`, `action`, `actions`, `scope`.
    var settings: JSONObject
    /// `default_on: true`: every request; otherwise only requests listing it in `guardrails`.
    var defaultOn: Bool
}

extension LiteLLMTranslator {
    func readGuardrails(_ node: Node) {
        for (i, item) in (reader.sequence(node, "guardrails") ?? []).enumerated() {
            let path = "guardrails[\(i)]"
            guard let fields = reader.mapping(item, path) else { continue }
            guard let name = fields.first(where: { $0.key == "guardrail_name" }).flatMap({ reader.string($0.value, join(path, "guardrail_name")) }) else {
                reader.error(item, path, "missing 'guardrail_name'")
                continue
            }
            guard let paramsEntry = fields.first(where: { $0.key == "litellm_params" }),
                let params = reader.mapping(paramsEntry.value, join(path, "litellm_params"))
            else {
                reader.error(item, path, "missing 'litellm_params'")
                continue
            }
            let paramsPath = join(path, "litellm_params")
            let kind = params.first(where: { $0.key == "guardrail" }).flatMap { reader.string($0.value, join(paramsPath, "guardrail")) } ?? ""
            guard kind == "litellm_content_filter" || kind == "presidio" else {
                note(paramsEntry.keyNode, paramsPath, .unsupported, "guardrail '\(kind)' needs an external service; only litellm_content_filter and presidio map onto scrubbing")
                continue
            }
            var guardrail = Guardrail(name: name, mark: reader.mark(item, path), settings: JSONObject(), defaultOn: false)
            var detect: [JSONValue] = []
            var patterns = JSONObject()
            var actions = JSONObject()
            var scope: [JSONValue] = ["request"]
            for param in params {
                let paramPath = join(paramsPath, param.key)
                switch param.key {
                case "guardrail":
                    note(param.keyNode, paramPath, kind == "presidio" ? .approximate : .exact,
                        kind == "presidio" ? "a scrubber with Switchyard's regex detectors (no NER: PERSON, LOCATION… are not found)" : "a scrubber")
                case "mode":
                    let modes: [String] = if case .sequence = param.value {
                        (reader.sequence(param.value, paramPath) ?? []).compactMap { reader.string($0, paramPath) }
                    } else { reader.string(param.value, paramPath).map { [$0] } ?? [] }
                    var parsed: [JSONValue] = []
                    for mode in modes {
                        switch mode {
                        case "pre_call", "during_call", "pre_mcp_call": parsed.append("request")
                        case "post_call": parsed.append("response")
                        default: reader.error(param.value, paramPath, "unknown guardrail mode '\(mode)'", hint: "pre_call, post_call or during_call")
                        }
                    }
                    if !parsed.isEmpty { scope = Array(Set(parsed.compactMap(\.stringValue))).sorted().map { .string($0) } }
                    note(param.keyNode, paramPath, modes.contains("during_call") ? .approximate : .exact,
                        "scope: pre_call → request, post_call → response (during_call runs before the call)")
                case "default_on":
                    guardrail.defaultOn = reader.bool(param.value, paramPath) ?? false
                    note(param.keyNode, paramPath, .exact, "a scrub stage first in main (otherwise only for requests listing the guardrail)")
                case "patterns":
                    readContentFilterPatterns(param.value, paramPath, detect: &detect, patterns: &patterns, actions: &actions)
                case "blocked_words":
                    for (j, word) in (reader.sequence(param.value, paramPath) ?? []).enumerated() {
                        let wordPath = "\(paramPath)[\(j)]"
                        guard let fields = reader.mapping(word, wordPath),
                            let keyword = fields.first(where: { $0.key == "keyword" }).flatMap({ reader.string($0.value, join(wordPath, "keyword")) })
                        else { continue }
                        let action = fields.first { $0.key == "action" }.flatMap { reader.string($0.value, join(wordPath, "action")) } ?? "BLOCK"
                        let patternName = "blocked_word_\(j + 1)"
                        patterns[patternName] = .string("(?i)(?<![\\p{L}\\p{N}_])\(Self.regexEscape(keyword))(?![\\p{L}\\p{N}_])")
                        actions[patternName] = .string(scrubAction(action, node: word, path: wordPath))
                    }
                    note(param.keyNode, paramPath, .exact, "case-insensitive whole-word patterns")
                case "pii_entities_config":
                    for entity in reader.mapping(param.value, paramPath) ?? [] {
                        let entityPath = join(paramPath, entity.key)
                        let action = reader.string(entity.value, entityPath) ?? "MASK"
                        guard Detector.named(entity.key) != nil else {
                            note(entity.keyNode, entityPath, .unsupported, "no regex detector for Presidio entity '\(entity.key)'")
                            continue
                        }
                        detect.append(.string(entity.key))
                        actions[entity.key] = .string(scrubAction(action, node: entity.value, path: entityPath))
                    }
                    note(param.keyNode, paramPath, .approximate, "detect + actions (MASK → redact, BLOCK → block); regexes, not Presidio's models")
                case "output_parse_pii":
                    note(param.keyNode, paramPath, .approximate, "use scope response / action tokenize for the same effect")
                case "presidio_language", "language", "presidio_score_thresholds", "presidio_analyzer_api_base", "presidio_anonymizer_api_base", "presidio_ad_hoc_recognizers":
                    note(param.keyNode, paramPath, .approximate, "not used: detection is local regexes")
                default:
                    unsupportedKey(param.keyNode, paramPath)
                }
            }
            for field in fields where field.key != "guardrail_name" && field.key != "litellm_params" {
                unsupportedKey(field.keyNode, join(path, field.key))
            }
            if detect.isEmpty && patterns.isEmpty {
                if kind == "presidio" && !params.contains(where: { $0.key == "pii_entities_config" }) {
                    // Presidio without a list: its default entities that have regex detectors.
                    detect = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS"]
                    guardrail.settings["action"] = "redact"
                } else {
                    note(item, path, .unsupported, "guardrail '\(name)' has nothing Switchyard can detect; left out")
                    continue
                }
            }
            guardrail.settings["detect"] = .array(detect)
            if !patterns.isEmpty { guardrail.settings["patterns"] = .object(patterns) }
            if guardrail.settings["action"] == nil { guardrail.settings["action"] = "redact" }
            if !actions.isEmpty { guardrail.settings["actions"] = .object(actions) }
            guardrail.settings["scope"] = .array(scope)
            guardrails.append(guardrail)
        }
    }

    private func readContentFilterPatterns(
        _ node: Node, _ path: String, detect: inout [JSONValue], patterns: inout JSONObject, actions: inout JSONObject
    ) {
        for (i, item) in (reader.sequence(node, path) ?? []).enumerated() {
            let itemPath = "\(path)[\(i)]"
            guard let fields = reader.mapping(item, itemPath) else { continue }
            func value(_ key: String) -> String? {
                fields.first { $0.key == key }.flatMap { reader.string($0.value, join(itemPath, key)) }
            }
            let action = scrubAction(value("action") ?? "BLOCK", node: item, path: itemPath)
            switch value("pattern_type") ?? (value("pattern") != nil ? "regex" : "prebuilt") {
            case "prebuilt":
                guard let name = value("pattern_name") else {
                    reader.error(item, itemPath, "a prebuilt pattern needs 'pattern_name'")
                    continue
                }
                guard Detector.named(name) != nil else {
                    note(item, join(itemPath, "pattern_name"), .unsupported, "no built-in detector named '\(name)'")
                    continue
                }
                detect.append(.string(name))
                actions[name] = .string(action)
                note(item, join(itemPath, "pattern_name"), .exact, "detect: [\(name)]")
            case "regex":
                guard let pattern = value("pattern") else {
                    reader.error(item, itemPath, "a regex pattern needs 'pattern'")
                    continue
                }
                let name = value("name") ?? "pattern_\(i + 1)"
                patterns[name] = .string(pattern)
                actions[name] = .string(action)
                note(item, join(itemPath, "pattern"), .exact, "patterns.\(name) (PCRE2 instead of Python re)")
            case let other:
                reader.error(item, join(itemPath, "pattern_type"), "unknown pattern_type '\(other)'", hint: "prebuilt or regex")
            }
        }
    }

    private func scrubAction(_ action: String, node: Node, path: String) -> String {
        switch action.uppercased() {
        case "BLOCK": return "block"
        case "MASK", "REDACT", "ANONYMIZE": return "redact"
        default:
            reader.error(node, path, "unknown guardrail action '\(action)'", hint: "MASK or BLOCK")
            return "redact"
        }
    }

    static func regexEscape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
