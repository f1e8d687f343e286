import NIOCore
import SwitchyardCore
import Tracing

/// The OpenTelemetry GenAI semantic conventions on an upstream call's span: what was asked
/// (`gen_ai.request.*`) and what came back (`gen_ai.response.*`, `gen_ai.usage.*`). Message
/// content only with `telemetry.capture_content`, and then as sent upstream — after `scrub`
/// stages replaced what they found.
enum GenAISpan {
    /// Every upstream call the engine makes is a chat completion.
    static let operation = "chat"

    static func describe(_ request: ChatRequest, target: Target, on span: any Span, content: Bool) {
        span.attributes["gen_ai.operation.name"] = operation
        span.attributes["gen_ai.provider.name"] = providerName(target.providerKind)
        span.attributes["gen_ai.request.model"] = target.model
        span.attributes["switchyard.provider"] = target.providerName
        if let maxTokens = (request["max_completion_tokens"] ?? request["max_tokens"])?.intValue {
            span.attributes["gen_ai.request.max_tokens"] = maxTokens
        }
        if let temperature = request["temperature"]?.doubleValue { span.attributes["gen_ai.request.temperature"] = temperature }
        if let topP = request["top_p"]?.doubleValue { span.attributes["gen_ai.request.top_p"] = topP }
        span.attributes["gen_ai.request.stream"] = request.stream
        if content { span.attributes["gen_ai.input.messages"] = JSONWriter.string(.array(request.messages)) }
    }

    /// A complete (OpenAI chat-format) answer.
    static func answered(_ body: ByteBuffer, on span: any Span, content: Bool) {
        guard let answer = try? body.withUnsafeReadableBytes({ raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) }),
            let object = answer.objectValue
        else { return }
        var response = Response()
        response.read(object)
        response.record(on: span)
        if content, let choices = object["choices"]?.arrayValue {
            span.attributes["gen_ai.output.messages"] = JSONWriter.string(.array(choices.compactMap { $0.objectValue?["message"] }))
        }
    }

    /// What an answer (or a stream's chunks, one after another) said about itself.
    struct Response {
        var id: String?
        var model: String?
        var finishReasons: [String] = []
        var usage: TokenUsage?

        /// Reads one answer or one stream chunk.
        mutating func read(_ object: JSONObject) {
            if id == nil { id = object["id"]?.stringValue }
            if model == nil { model = object["model"]?.stringValue }
            for choice in object["choices"]?.arrayValue ?? [] {
                if let reason = choice.objectValue?["finish_reason"]?.stringValue { finishReasons.append(reason) }
            }
            if let found = object["usage"]?.objectValue.flatMap(TokenUsage.init) { usage = found }
        }

        func record(on span: any Span) {
            if let id { span.attributes["gen_ai.response.id"] = id }
            if let model { span.attributes["gen_ai.response.model"] = model }
            if !finishReasons.isEmpty { span.attributes["gen_ai.response.finish_reasons"] = finishReasons }
            if let usage {
                span.attributes["gen_ai.usage.input_tokens"] = usage.prompt
                span.attributes["gen_ai.usage.output_tokens"] = usage.completion
            }
        }
    }

    /// `gen_ai.provider.name`: the convention's well-known values, else the kind's own name.
    static func providerName(_ kind: ProviderKind) -> String {
        switch kind {
        case .azure: "azure.ai.openai"
        case .gemini: "gcp.gemini"
        case .vertexAI: "gcp.vertex_ai"
        case .bedrock: "aws.bedrock"
        case .mistral: "mistral_ai"
        case .xai: "x_ai"
        default: kind.rawValue
        }
    }
}
