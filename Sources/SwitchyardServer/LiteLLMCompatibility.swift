import HTTPTypes
import Synchronization
import SwitchyardCore

/// LiteLLM behaviour clients can see: the request-body switches it reads itself (and never
/// sends upstream), and the `x-litellm-*` response headers dashboards read.
enum LiteLLMCompatibility {
    /// Fields stripped before a request goes upstream. A LiteLLM config also strips `metadata`
    /// and `guardrails` (LiteLLM reads them; a native config forwards them, as OpenAI accepts
    /// `metadata`). Pipeline conditions still see them: stripping happens at the upstream call.
    static func strippedFields(for format: GatewayConfig.Format) -> Set<String> {
        format == .litellm ? litellmStripped : nativeStripped
    }

    private static let litellmStripped = RequestOverrides.litellmFields
    private static let nativeStripped = RequestOverrides.litellmFields.subtracting(["metadata", "guardrails"])

    /// The `x-litellm-*` headers for one request.
    static func headers(
        _ result: ExecutionResult, program: GatewayProgram, requestedModel: String, requestID: String,
        total: Duration, upstream: Duration
    ) -> HTTPFields {
        // Appended, not set: the fields are new, and setting one searches the ones before it.
        var headers = HTTPFields()
        headers.reserveCapacity(8)
        if let target = result.target {
            headers.append(HTTPField(name: .litellmModelID, value: target.id ?? target.label))
            if program.settings.debugHeaders, let base = program.providers[target.providerIndex].spec.apiBase {
                headers.append(HTTPField(name: .litellmAPIBase, value: publicURL(base)))
            }
        }
        headers.append(HTTPField(name: .litellmModelGroup, value: requestedModel))
        headers.append(HTTPField(name: .litellmCallID, value: requestID))
        headers.append(HTTPField(name: .litellmResponseDuration, value: milliseconds(total)))
        headers.append(HTTPField(name: .litellmOverheadDuration, value: milliseconds(max(.zero, total - upstream))))
        headers.append(HTTPField(name: .litellmAttemptedRetries, value: String(result.retries)))
        headers.append(HTTPField(name: .litellmAttemptedFallbacks, value: String(result.fallbacks)))
        return headers
    }

    /// `url` without user info, query or fragment: what may be shown of an upstream address.
    static func publicURL(_ url: String) -> String {
        var rest = Substring(url)
        var scheme = Substring("")
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            let afterScheme = rest.index(colon, offsetBy: 3)
            scheme = rest[..<afterScheme]
            rest = rest[afterScheme...]
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(scheme + rest)
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(micros % 1000).leftPadded(3))"
    }
}

/// Wraps the provider adapter for one request: strips LiteLLM-only fields and adds up the time
/// spent waiting for upstreams (to the response headers), for `x-litellm-overhead-duration-ms`.
struct LiteLLMUpstream<Base: ProviderAdapter>: ProviderAdapter {
    let base: Base
    let stripped: Set<String>
    let clock: UpstreamClock

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let start = ContinuousClock.now
        defer { clock.add(ContinuousClock.now - start) }
        guard request.object.fields.contains(where: { stripped.contains($0.key) }) else {
            return try await base.chat(request, target: target, context: context)
        }
        var request = request
        for field in stripped where request[field] != nil { request.set(field, nil) }
        return try await base.chat(request, target: target, context: context)
    }
}

/// Time spent in upstream calls during one request.
final class UpstreamClock: Sendable {
    private let total = Mutex<Duration>(.zero)
    func add(_ duration: Duration) { total.withLock { $0 += duration } }
    var elapsed: Duration { total.withLock { $0 } }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension HTTPField.Name {
    static let litellmModelID = Self("x-litellm-model-id")!
    static let litellmAPIBase = Self("x-litellm-model-api-base")!
    static let litellmModelGroup = Self("x-litellm-model-group")!
    static let litellmCallID = Self("x-litellm-call-id")!
    static let litellmResponseDuration = Self("x-litellm-response-duration-ms")!
    static let litellmOverheadDuration = Self("x-litellm-overhead-duration-ms")!
    static let litellmAttemptedRetries = Self("x-litellm-attempted-retries")!
    static let litellmAttemptedFallbacks = Self("x-litellm-attempted-fallbacks")!
}
