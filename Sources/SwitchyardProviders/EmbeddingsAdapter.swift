public import NIOCore
public import SwitchyardCore

/// An optional capability: adapters that also serve `POST /v1/embeddings`. The answer is an
/// OpenAI `list` of `embedding` objects, whatever the provider speaks.
protocol EmbeddingsAdapter: ProviderAdapter {
    func embeddings(_ request: JSONObject, target: Target, context: CallContext) async throws(GatewayError) -> ByteBuffer
}

extension ProviderSet {
    /// Sends an OpenAI embeddings request to `target`'s provider.
    /// - Throws: 400 when the provider's kind serves no embeddings; upstream errors as for chat.
    public func embeddings(_ request: JSONObject, target: Target, context: CallContext) async throws(GatewayError) -> ByteBuffer {
        guard let adapter = adapter(for: target) as? any EmbeddingsAdapter else {
            throw GatewayError(
                .invalidRequest, status: 400,
                message: "provider '\(target.providerName)' (kind \(target.providerKind.rawValue)) does not serve embeddings", param: "model")
        }
        return try await adapter.embeddings(request, target: target, context: context)
    }
}

extension OpenAIAdapter: EmbeddingsAdapter {
    /// The client's request with `model` replaced, to `{base}/embeddings` (Azure: the
    /// deployment's `embeddings` path); the answer passes through.
    func embeddings(_ request: JSONObject, target: Target, context: CallContext) async throws(GatewayError) -> ByteBuffer {
        var body = request
        body["model"] = .string(target.model)
        let response = try await call.post(
            url: endpoint.url(.embeddings, model: target.model), headers: baseHeaders,
            body: ByteBuffer(bytes: JSONWriter.bytes(.object(body))), stream: false, deadlines: target.deadlines)
        return try await call.collectObject(response)
    }
}

extension GeminiAdapter: EmbeddingsAdapter {
    /// `input` (a string or strings) → `batchEmbedContents`, one request per input;
    /// `dimensions` → `outputDimensionality`. Gemini reports no token usage for embeddings.
    func embeddings(_ request: JSONObject, target: Target, context: CallContext) async throws(GatewayError) -> ByteBuffer {
        let inputs: [String]
        switch request["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let list)? where list.allSatisfy({ $0.stringValue != nil }): inputs = list.compactMap(\.stringValue)
        default: throw .invalidRequest("'input' must be a string or an array of strings for Gemini", param: "input")
        }
        let model = "models/" + target.model
        let requests: [JSONValue] = inputs.map { text in
            var item = JSONObject(pairs: ["model": .string(model), "content": ["parts": [["text": .string(text)]]]])
            if let dimensions = request["dimensions"], dimensions != .null { item["outputDimensionality"] = dimensions }
            return .object(item)
        }
        let response = try await call.post(
            url: modelsURL + OpenAIEndpoint.pathSegment(target.model) + ":batchEmbedContents", headers: baseHeaders,
            body: ByteBuffer(bytes: JSONWriter.bytes(["requests": .array(requests)])), stream: false, deadlines: target.deadlines)
        let answer = try call.parse(try await call.collect(response))
        let data: [JSONValue] = (answer["embeddings"]?.arrayValue ?? []).enumerated().map { index, embedding in
            ["object": "embedding", "index": .number(index), "embedding": embedding.objectValue?["values"] ?? []]
        }
        let list: JSONValue = [
            "object": "list", "data": .array(data), "model": .string(target.model),
            "usage": ["prompt_tokens": 0, "total_tokens": 0],
        ]
        return ByteBuffer(bytes: JSONWriter.bytes(list))
    }
}
