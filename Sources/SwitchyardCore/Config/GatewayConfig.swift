/// A parsed, validated configuration: what the file says, before it is compiled into a program.
///
/// Built from a native Switchyard file (`providers:` / `models:`) or from a LiteLLM `config.yaml`
/// (`model_list:`); both produce the same structure.
public struct GatewayConfig: Sendable {
    /// `server:` — listener, authentication and limits.
    public var server = ServerSettings()
    /// `providers:` — upstream accounts, in file order.
    public var providers: [ProviderSpec] = []
    /// `models:` — client-visible model names, in file order.
    public var models: [ModelSpec] = []
    /// `pipelines:` — named stage lists, in file order (`main` is the entry when present).
    public var pipelines: [PipelineSpec] = []
    /// `scrubbers:` — PII policies, built by a `ScrubberFactory` when the program compiles.
    public var scrubbers: [ScrubberDeclaration] = []
    /// `tests:` — cases run by `switchyard test`.
    public var tests: [PipelineTestSpec] = []
    /// Problems that did not stop the file from loading (unset keys, unsupported LiteLLM keys).
    public var warnings: [ConfigDiagnostic] = []
    /// Which dialect the file was written in.
    public var format: Format = .native
    public var file: String = "<config>"
    /// For a LiteLLM file: how each of its keys carried over (`switchyard import`).
    public var migration: [MigrationNote] = []
    /// For a LiteLLM file: the native configuration it was translated into (`switchyard import`).
    public var nativeText: String?
    /// `database:` — where keys, teams and spend are stored.
    public var database = DatabaseSettings()
    /// Where each layered setting that is not at its default came from (`server.port`: the file,
    /// an environment variable or a flag); see `GatewayConfig+Layering.swift`.
    public internal(set) var settingSources: [String: SettingSource] = [:]
    /// Layered settings whose file value references the environment (`os.environ/…`, `${…}`):
    /// `config show` redacts them.
    var environmentReferences: Set<String> = []
    /// `telemetry:` — OpenTelemetry traces (read when the server starts; a reload keeps the first).
    public var telemetry = TelemetrySettings()

    public enum Format: String, Sendable { case native, litellm }

    public init() {}
}

/// `server:` keys: `host`, `port`, `master_key`, `max_body_size`, `access_log`, `log_format`,
/// `request_timeout`, `connect_timeout`, `idle_timeout`, `total_timeout`, `model_prices`,
/// `drain_timeout`, `keep_alive_timeout`, `header_timeout`, `body_timeout`,
/// `max_client_connections`, `max_header_size`, `max_header_count`, `max_connections_per_provider`,
/// `debug_headers`, `metrics_user_labels`.
public struct ServerSettings: Sendable {
    /// `log_format`: how `serve` writes log lines.
    public enum LogFormat: String, Sendable, CaseIterable {
        /// `time level label: message key=value …`
        case text
        /// One JSON object per line (see docs/operations.md for the fields).
        case json
    }

    public var host = "127.0.0.1"
    public var port = 4000
    /// When set, every API route needs `Authorization: Bearer <master_key>`.
    public var masterKey: String?
    /// Largest request body accepted (bytes); bigger bodies get 413.
    public var maxBodySize = 10 * 1024 * 1024
    /// One `info` line per request.
    public var accessLog = true
    public var logFormat: LogFormat = .text
    /// Upstream deadlines when neither the target nor the provider sets them (`request_timeout`
    /// is the wait for the response headers; `connect_timeout`, `idle_timeout`, `total_timeout`).
    public var deadlines = UpstreamDeadlines.defaults
    /// How long in-flight requests and streams may run on after SIGTERM / SIGINT.
    public var drainTimeout: Duration = .seconds(30)
    /// A client connection idle this long between requests is closed.
    public var keepAliveTimeout: Duration = .seconds(75)
    /// A request's head must have arrived this long after the connection opened (or, on a
    /// kept-alive connection, after `keepAliveTimeout` plus this): else 408 and the connection
    /// closes (slow-header clients).
    public var headerTimeout: Duration = .seconds(10)
    /// A request's body must have arrived this long after its head: else 408.
    public var bodyTimeout: Duration = .seconds(60)
    /// Client connections open at once; beyond it a new connection gets 503 and is closed.
    public var maxClientConnections = 10_000
    /// A request head larger than this (all header lines), or with more header fields than
    /// `maxHeaderCount`, gets 431.
    public var maxHeaderSize = 64 * 1024
    public var maxHeaderCount = 256
    /// Connections the gateway keeps open to one provider (queued beyond it); a provider's
    /// `max_connections` overrides it.
    public var maxConnectionsPerProvider = 4096
    /// `debug_headers`: LiteLLM's `x-litellm-model-api-base` (the upstream URL, without user info
    /// or query) on every answer. Off: upstream URLs never leave the gateway.
    public var debugHeaders = false
    /// `metrics_user_labels`: a virtual key's LiteLLM series also carry `end_user` (the request's
    /// `user` field). Off by default: clients choose those strings, so each adds series without bound.
    public var metricsUserLabels = false
    /// `model_prices`: a file in LiteLLM's `model_prices_and_context_window.json` format whose
    /// prices override the built-in table.
    public var modelPricesFile: String?

    public init() {}
}

/// `database:` keys: `url`, `schema`, `key_cache_ttl`, `key_cache_size`, `flush_interval`,
/// `spend_buffer`, `spend_log_retention`.
public struct DatabaseSettings: Sendable {
    /// `schema`: whose tables keys, teams and spend live in.
    public enum Schema: String, Sendable, CaseIterable {
        /// LiteLLM's tables when the PostgreSQL database has them, Switchyard's own otherwise.
        case auto
        /// Switchyard's own `sy_*` tables, created and migrated at start.
        case native
        /// LiteLLM's tables (`LiteLLM_VerificationToken`, …), read and written in place; PostgreSQL only.
        case litellm
    }


    /// `sqlite:///path.db`, `sqlite://relative.db`, `:memory:` or `postgres://…`; nil: no database
    /// (no virtual keys, no spend). A native file without `database:` uses `switchyard.db` next to it.
    public var url: String?
    /// True when `url` was not written in the file (the default SQLite file): if it cannot be
    /// created, the gateway falls back to an in-memory database instead of refusing to start.
    public var isDefault = false
    public var schema: Schema = .auto
    /// How long an authenticated key's record is trusted before it is read again: a revoked or
    /// blocked key stops working within this time on every replica.
    public var keyCacheTTL: Duration = .seconds(30)
    /// Most key records kept in memory.
    public var keyCacheSize = 100_000
    /// How often spend and log rows accumulated in memory are written.
    public var flushInterval: Duration = .seconds(1)
    /// Most spend-log rows kept in memory while the database is unreachable; beyond it rows are
    /// dropped and counted (`switchyard_spend_logs_lost_total`).
    public var spendBuffer = 100_000
    /// Spend-log rows older than this are deleted; nil keeps them.
    public var spendLogRetention: Duration?
    /// How long a stored Responses API response stays readable (`previous_response_id`, `GET`)
    /// before it is deleted; OpenAI keeps them 30 days.
    public var responseRetention: Duration = .seconds(30 * 86_400)

    public init() {}
}

/// What kind of upstream a provider is; decides which adapter serves it.
///
/// The OpenAI-compatible family (`mistral` … `lm_studio`) is served by the OpenAI adapter; each
/// kind only brings a default base URL and key variable (`ProviderKind+Defaults.swift`).
public enum ProviderKind: String, Sendable, CaseIterable {
    /// OpenAI or any OpenAI-compatible server (`api_base`, Bearer key).
    case openai
    /// Answers in-process, without a network (LiteLLM's `mock_response`).
    case mock
    /// Anthropic's Messages API (`x-api-key`, `anthropic-version`); requests are translated.
    case anthropic
    /// Azure OpenAI: `/openai/deployments/{model}/…?api-version=`, `api-key` header.
    case azure
    /// Google's Gemini API (`generateContent`); requests are translated.
    case gemini
    /// AWS Bedrock (Converse / InvokeModel), SigV4-signed; requests are translated.
    case bedrock
    /// Google Vertex AI: Gemini and Anthropic models, service-account OAuth; translated.
    case vertexAI = "vertex_ai"
    case mistral, groq, deepseek, openrouter, xai, perplexity, cerebras, ollama, vllm
    case togetherAI = "together_ai"
    case fireworksAI = "fireworks_ai"
    case hostedVLLM = "hosted_vllm"
    case lmStudio = "lm_studio"
}

/// One upstream account. Keys: `kind`, `api_base`, `api_key`, `api_version` (Azure), `timeout`,
/// `connect_timeout`, `idle_timeout`, `total_timeout`, `max_connections`, `headers`,
/// `mock_response`, and the `aws_*` (Bedrock) and `vertex_*` (Vertex AI) keys.
public struct ProviderSpec: Sendable {
    public var name: String
    public var kind: ProviderKind
    /// Base URL up to and including the version (`https://api.openai.com/v1`).
    public var apiBase: String?
    public var apiKey: String?
    /// Azure's `api-version` query parameter.
    public var apiVersion: String?
    /// Set when `api_key` names an environment variable that is not set: the provider is
    /// unavailable and its models say so, naming the variable (never a value).
    public var missingKeyVariable: String?
    /// Deadlines for every target of this provider that does not set its own.
    public var deadlines = DeadlineOverrides()
    /// Connections kept open to this provider; nil: `server.max_connections_per_provider`.
    public var maxConnections: Int?
    /// Extra headers sent on every upstream request.
    public var headers: [(name: String, value: String)] = []
    /// For `mock`: the fixed reply; without it the mock echoes the last user message.
    public var mockResponse: String?
    /// For `bedrock`: credentials and region.
    public var aws = AWSSettings()
    /// For `vertex_ai`: project, location and service account.
    public var vertex = VertexSettings()

    public init(name: String, kind: ProviderKind) {
        self.name = name
        self.kind = kind
    }
}

/// A client-visible model: one target, several with a routing strategy, or a pipeline.
public struct ModelSpec: Sendable {
    public var name: String
    public var targets: [TargetSpec]
    public var routing: RoutingStrategy = .weighted
    /// `{pipeline: NAME}`: requests for this model run that pipeline (no targets).
    /// A name with one `*` (`openai/*`) serves every requested name it matches that no model
    /// has exactly; a target model with a `*` gets what the star matched.
    public var pipeline: NameRef?
    /// `allowed_fails`: consecutive upstream failures after which a target is cooled down
    /// (skipped while another target can serve); nil disables cooldown.
    public var allowedFails: Int?
    /// `cooldown`: how long a failing target is skipped.
    public var cooldown: Duration = .seconds(30)

    public init(name: String, targets: [TargetSpec], routing: RoutingStrategy = .weighted) {
        self.name = name
        self.targets = targets
        self.routing = routing
    }
}

public enum RoutingStrategy: String, Sendable, CaseIterable {
    case weighted
    case roundRobin = "round-robin"
    /// Lowest `order` first; the next only when it is unavailable.
    case priority
    /// Fewest requests in flight.
    case leastBusy = "least-busy"
    /// Lowest moving average of time to the first byte; untried targets first.
    case lowestLatency = "lowest-latency"
    /// Most headroom against the target's `rpm` / `tpm` in the current minute.
    case usage
}

/// One deployment behind a model. Keys: `provider`, `model`, `weight`, `order`, `timeout`,
/// `connect_timeout`, `idle_timeout`, `total_timeout`, `params`, `mock_response`, `rpm`, `tpm`, `id`, `input_cost_per_token`, `output_cost_per_token`,
/// `api`.
public struct TargetSpec: Sendable {
    /// The provider's name in `providers:`.
    public var provider: String
    /// The model name sent upstream; defaults to the client-visible name.
    public var model: String
    public var weight: Double = 1
    public var order: Int = 0
    /// Requests / tokens per minute this deployment allows (for `usage` routing).
    public var rpm: Int?
    public var tpm: Int?
    public var deadlines = DeadlineOverrides()
    /// Request parameters applied when the client did not set them (`temperature`, `max_tokens`).
    public var defaultParams = JSONObject()
    public var mockResponse: String?
    /// `id`: the deployment's id, sent as `x-litellm-model-id` (LiteLLM's `model_info.id`).
    public var id: String?
    /// USD per prompt / completion token, for spend; nil looks the model up in the price table.
    public var inputCostPerToken: Double?
    public var outputCostPerToken: Double?

    /// `api: responses`: the deployment is called through OpenAI's Responses API.
    public var api = UpstreamAPI.chat

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }
}
