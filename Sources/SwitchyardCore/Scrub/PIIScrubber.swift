import SwitchyardScrub

/// A `scrub` stage's policy: finds PII in every place a chat request carries text and applies
/// the policy's actions before the request goes upstream.
///
/// Text is scrubbed in message `content` (strings and text parts, every role), tool-call and
/// function-call arguments, and the legacy `prompt`. Detections are counted by detector; values
/// never leave this type except, for `tokenize`, in the request's own vault.
struct PIIScrubber: RequestScrubber {
    let name: String
    let scrubber: Scrubber
    /// Restores tokenized values in answers when the policy does not scrub responses itself.
    let restorer: Scrubber?

    init(name: String, scrubber: Scrubber) {
        self.name = name
        self.scrubber = scrubber
        self.restorer =
            scrubber.usesTokenize && !scrubber.scope.contains(.response)
            ? try? Scrubber(ScrubberSpec(detectors: [], patterns: [:], action: .redact, scope: [.response])) : nil
    }

    func scrub(_ request: inout ChatRequest) throws(GatewayError) -> ScrubReport {
        let session = scrubber.usesTokenize ? ScrubSession() : nil
        var pass = Pass(policy: self, session: session)
        if scrubber.scope.contains(.request) {
            if case .array(var messages)? = request["messages"], try pass.scrubMessages(&messages) {
                request.set("messages", .array(messages))
            }
            if let prompt = request["prompt"], let scrubbed = try pass.scrubTexts(in: prompt) {
                request.set("prompt", scrubbed)
            }
        }
        let filter: (any ResponseFilter)? =
            if scrubber.scope.contains(.response) {
                PIIResponseFilter(policy: name, scrubber: scrubber, session: session)
            } else if let restorer, let session {
                PIIResponseFilter(policy: name, scrubber: restorer, session: session)
            } else {
                nil
            }
        return ScrubReport(summary: ScrubSummary(replacements: pass.counts), responseFilter: filter)
    }

    /// The client-facing error for a blocked value: names the type, never the value.
    func blocked(_ verdict: BlockVerdict, in what: String) -> GatewayError {
        GatewayError(
            .contentBlocked, status: 400,
            message: "The \(what) contains \(verdict.label), which the '\(name)' policy blocks.")
    }

    /// Scrubbing could not finish: refuse rather than send text that may still hold PII.
    func failed(_ error: ScrubError, in what: String) -> GatewayError {
        GatewayError(
            .scrubFailed, status: what == "request" ? 400 : 502,
            message: "The \(what) could not be scrubbed by the '\(name)' policy (\(error.code)); it was not passed on.")
    }

    /// One request's walk over its text, counting detections.
    struct Pass {
        let policy: PIIScrubber
        let session: ScrubSession?
        var counts: [String: Int] = [:]

        init(policy: PIIScrubber, session: ScrubSession?) {
            self.policy = policy
            self.session = session
        }

        /// Scrubs one text; nil when nothing changed.
        mutating func scrub(_ text: String) throws(GatewayError) -> String? {
            let outcome: ScrubOutcome<String>
            do {
                outcome = try policy.scrubber.scrub(text, direction: .request, session: session)
            } catch {
                throw policy.failed(error, in: "request")
            }
            switch outcome {
            case .blocked(let verdict):
                throw policy.blocked(verdict, in: "request")
            case .scrubbed(let output, let detections):
                guard !detections.isEmpty else { return nil }
                for detection in detections { counts[detection.detector, default: 0] += detection.count }
                return output
            }
        }

        /// A string, or an array of strings / text parts; nil when nothing changed.
        mutating func scrubTexts(in value: JSONValue) throws(GatewayError) -> JSONValue? {
            switch value {
            case .string(let text):
                return try scrub(text).map { .string($0) }
            case .array(var parts):
                var changed = false
                for i in parts.indices {
                    switch parts[i] {
                    case .string(let text):
                        if let scrubbed = try scrub(text) { parts[i] = .string(scrubbed); changed = true }
                    case .object(var part):
                        if case .string(let text)? = part["text"], let scrubbed = try scrub(text) {
                            part["text"] = .string(scrubbed)
                            parts[i] = .object(part)
                            changed = true
                        }
                    default:
                        break
                    }
                }
                return changed ? .array(parts) : nil
            default:
                return nil
            }
        }

        /// Every message's content, tool-call arguments and function-call arguments.
        mutating func scrubMessages(_ messages: inout [JSONValue]) throws(GatewayError) -> Bool {
            var changed = false
            for i in messages.indices {
                guard case .object(var message) = messages[i] else { continue }
                var messageChanged = false
                if let content = message["content"], let scrubbed = try scrubTexts(in: content) {
                    message["content"] = scrubbed
                    messageChanged = true
                }
                if try message.rewriteToolCallArguments({ (arguments) throws(GatewayError) in try scrub(arguments) }) {
                    messageChanged = true
                }
                if case .object(var function)? = message["function_call"], case .string(let arguments)? = function["arguments"],
                    let scrubbed = try scrub(arguments)
                {
                    function["arguments"] = .string(scrubbed)
                    message["function_call"] = .object(function)
                    messageChanged = true
                }
                if messageChanged {
                    messages[i] = .object(message)
                    changed = true
                }
            }
            return changed
        }
    }
}
