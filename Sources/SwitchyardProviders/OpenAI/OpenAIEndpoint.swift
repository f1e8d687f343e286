import SwitchyardCore

/// Where an OpenAI-shaped request goes: `{base}/chat/completions` for OpenAI and the compatible
/// family, `{base}/openai/deployments/{model}/chat/completions?api-version=…` for Azure.
/// Built once per provider.
struct OpenAIEndpoint: Sendable {
    enum Operation: String, Sendable {
        case chatCompletions = "chat/completions"
        case embeddings
        /// The Responses API (`api: responses` targets).
        case responses
    }

    private enum Style: Sendable {
        case fixed(base: String)
        case azure(base: String, apiVersion: String)
    }

    /// Azure's current GA API version, used when the provider sets no `api_version`.
    static let azureDefaultAPIVersion = "2024-10-21"

    private let style: Style

    init(provider: ProviderSpec) {
        var base = provider.apiBase ?? provider.kind.defaults.apiBase ?? OpenAIAdapter.defaultBase
        switch provider.kind {
        case .azure:
            // LiteLLM users write the resource URL, sometimes with `/openai` already on it.
            if base.hasSuffix("/openai") { base = String(base.dropLast(7)) }
            style = .azure(base: base, apiVersion: provider.apiVersion ?? Self.azureDefaultAPIVersion)
        case .ollama:
            // Ollama's OpenAI-compatible API lives under /v1; LiteLLM configs give the bare host.
            if !base.hasSuffix("/v1") { base += "/v1" }
            style = .fixed(base: base)
        default:
            style = .fixed(base: base)
        }
    }

    func url(_ operation: Operation, model: String) -> String {
        switch style {
        case .fixed(let base):
            return "\(base)/\(operation.rawValue)"
        case .azure(let base, let apiVersion) where operation == .responses:
            // Azure serves the Responses API per resource, the deployment named by `model` in the body.
            return "\(base)/openai/responses?api-version=\(Self.pathSegment(apiVersion))"
        case .azure(let base, let apiVersion):
            return "\(base)/openai/deployments/\(Self.pathSegment(model))/\(operation.rawValue)?api-version=\(Self.pathSegment(apiVersion))"
        }
    }

    /// Percent-encodes everything but unreserved characters (deployment names are user text);
    /// `keepingSlashes` also keeps `/` (a whole path, as SigV4's canonical URI wants it).
    static func pathSegment(_ text: String, keepingSlashes: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "/") where keepingSlashes:
                out.unicodeScalars.append("/")
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
