import SwitchyardScrub

/// Builds PCRE2 PII scrubbers from `scrubbers.NAME` settings.
///
/// Keys: `detect` (detector names or aliases; the default set when absent), `patterns`
/// (name → PCRE2 pattern), `action` (`redact` | `mask` | `hash` | `block` | `tokenize`),
/// `actions` (detector → action), `scope` (`request`, `response` or both), `hash_secret`,
/// `context_languages` (languages of the built-in context words), `context_words` (detector →
/// extra words).
public struct PIIScrubberFactory: ScrubberFactory {
    static let keys = ["detect", "patterns", "action", "actions", "scope", "hash_secret", "context_languages",
                       "context_words"]

    public init() {}

    public func makeScrubber(name: String, settings: JSONObject) -> Result<any RequestScrubber, ScrubberSettingsError> {
        do throws(ScrubberSettingsError) {
            let spec = try Self.spec(from: settings)
            let scrubber: Scrubber
            do {
                scrubber = try Scrubber(spec)
            } catch {
                throw Self.settingsError(for: error)
            }
            return .success(PIIScrubber(name: name, scrubber: scrubber))
        } catch {
            return .failure(error)
        }
    }

    static func spec(from settings: JSONObject) throws(ScrubberSettingsError) -> ScrubberSpec {
        for key in settings.keys where !keys.contains(key) {
            let hint = Suggestion.didYouMean(key, among: keys).map { " (\($0))" } ?? " (expected one of: \(keys.joined(separator: ", ")))"
            throw ScrubberSettingsError("unknown key '\(key)'\(hint)", key: key)
        }
        var spec = ScrubberSpec()
        if let detect = settings["detect"] {
            spec.detectors = try strings(detect, key: "detect")
        }
        if let patterns = settings["patterns"] {
            guard case .object(let object) = patterns else { throw ScrubberSettingsError("expected a mapping of name: pattern", key: "patterns") }
            for field in object {
                guard case .string(let pattern) = field.value else {
                    throw ScrubberSettingsError("the pattern must be a string", key: "patterns.\(field.key)")
                }
                spec.patterns[field.key] = pattern
            }
        }
        if let action = settings["action"] {
            spec.action = try self.action(action, key: "action")
        }
        if let actions = settings["actions"] {
            guard case .object(let object) = actions else { throw ScrubberSettingsError("expected a mapping of detector: action", key: "actions") }
            for field in object {
                spec.actions[field.key] = try action(field.value, key: "actions.\(field.key)")
            }
        }
        if let scope = settings["scope"] {
            var parsed: ScrubScope = []
            for name in try strings(scope, key: "scope") {
                switch name {
                case "request": parsed.insert(.request)
                case "response": parsed.insert(.response)
                default: throw ScrubberSettingsError("unknown scope '\(name)' (expected request, response or both)", key: "scope")
                }
            }
            spec.scope = parsed
        }
        if let secret = settings["hash_secret"] {
            guard case .string(let text) = secret else { throw ScrubberSettingsError("expected a string", key: "hash_secret") }
            spec.hashSecret = text
        }
        if let languages = settings["context_languages"] {
            spec.contextLanguages = try strings(languages, key: "context_languages")
        }
        if let words = settings["context_words"] {
            guard case .object(let object) = words else {
                throw ScrubberSettingsError("expected a mapping of detector: words", key: "context_words")
            }
            for field in object {
                spec.contextWords[field.key] = try strings(field.value, key: "context_words.\(field.key)")
            }
        }
        return spec
    }

    private static func strings(_ value: JSONValue, key: String) throws(ScrubberSettingsError) -> [String] {
        switch value {
        case .string(let one): return [one]
        case .array(let many):
            var names: [String] = []
            for (i, element) in many.enumerated() {
                guard case .string(let name) = element else { throw ScrubberSettingsError("expected a string", key: "\(key)[\(i)]") }
                names.append(name)
            }
            return names
        default:
            throw ScrubberSettingsError("expected a name or a list of names", key: key)
        }
    }

    private static func action(_ value: JSONValue, key: String) throws(ScrubberSettingsError) -> ScrubAction {
        let names = ScrubAction.allCases.map(\.rawValue)
        guard case .string(let name) = value, let action = ScrubAction(rawValue: name.lowercased()) else {
            let text = value.stringValue ?? JSONWriter.string(value)
            let hint = Suggestion.didYouMean(text, among: names) ?? "expected one of: \(names.joined(separator: ", "))"
            throw ScrubberSettingsError("unknown action '\(text)' (\(hint))", key: key)
        }
        return action
    }

    static func settingsError(for error: ScrubError) -> ScrubberSettingsError {
        switch error.code {
        case .unknownDetector:
            let hint = error.suggestions.first.map { " (did you mean '\($0)'?)" } ?? ""
            let key = error.message.contains("`actions`") ? "actions" : "detect"
            return ScrubberSettingsError("\(error.message.replacingBackticks())\(hint)", key: key)
        case .invalidPattern:
            return ScrubberSettingsError(error.message.replacingBackticks(), key: error.detector.map { "patterns.\($0)" } ?? "patterns")
        case .missingHashSecret:
            return ScrubberSettingsError(error.message.replacingBackticks(), key: "hash_secret")
        case .invalidContext:
            let key = error.detector.map { "context_words.\($0)" } ?? "context_languages"
            return ScrubberSettingsError(error.message.replacingBackticks(), key: key)
        default:
            return ScrubberSettingsError(error.message.replacingBackticks())
        }
    }
}

extension String {
    /// Scrub errors quote names in backticks; config diagnostics use single quotes.
    fileprivate func replacingBackticks() -> String {
        String(map { $0 == "`" ? "'" : $0 })
    }
}
