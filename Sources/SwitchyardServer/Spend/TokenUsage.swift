import NIOCore
import SwitchyardCore

/// Tokens an answer used, read from its OpenAI-format `usage` object.
struct TokenUsage: Sendable, Equatable {
    var prompt = 0
    var completion = 0

    var total: Int { prompt + completion }

    /// `usage` of a complete chat or embeddings answer; nil when it has none.
    init?(answer body: ByteBuffer) {
        guard let value = try? body.withUnsafeReadableBytes({ raw in try JSONParser.parse(raw.assumingMemoryBound(to: UInt8.self)) })
        else { return nil }
        self.init(answer: value)
    }

    /// `usage` of a parsed answer; nil when it has none.
    init?(answer value: JSONValue) {
        guard let usage = value.objectValue?["usage"]?.objectValue else { return nil }
        self.init(usage)
    }

    init?(_ usage: JSONObject) {
        guard let prompt = usage["prompt_tokens"]?.intValue ?? usage["input_tokens"]?.intValue else { return nil }
        self.prompt = prompt
        self.completion = usage["completion_tokens"]?.intValue ?? usage["output_tokens"]?.intValue ?? 0
    }

    init() {}

    init(prompt: Int, completion: Int) {
        self.prompt = prompt
        self.completion = completion
    }
}
