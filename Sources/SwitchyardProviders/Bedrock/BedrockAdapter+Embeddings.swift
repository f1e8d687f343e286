import NIOCore
import SwitchyardCore

extension BedrockAdapter: EmbeddingsAdapter {
    /// Embeddings through InvokeModel, in the model family's own body:
    /// - Titan (`amazon.titan-embed-…`): one request per input, `{"inputText", "dimensions"}`;
    ///   `inputTextTokenCount` summed into usage.
    /// - Cohere (`cohere.embed-…`): one request, `{"texts", "input_type": "search_document"}`;
    ///   Cohere on Bedrock reports no token count (usage 0).
    func embeddings(_ request: JSONObject, target: Target, context: CallContext) async throws(GatewayError) -> ByteBuffer {
        let (_, modelID) = Self.route(target.model)
        let inputs: [String]
        switch request["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let list)? where list.allSatisfy({ $0.stringValue != nil }): inputs = list.compactMap(\.stringValue)
        default: throw .invalidRequest("'input' must be a string or an array of strings for Bedrock", param: "input")
        }
        var vectors: [JSONValue] = []
        var tokens = 0
        if modelID.contains("titan-embed") {
            for text in inputs {
                var body = JSONObject(pairs: ["inputText": .string(text)])
                if let dimensions = request["dimensions"], dimensions != .null { body["dimensions"] = dimensions }
                let answer = try await invoke(modelID, body, deadlines: target.deadlines)
                vectors.append(answer["embedding"] ?? [])
                tokens += answer["inputTextTokenCount"]?.intValue ?? 0
            }
        } else if modelID.contains("cohere.embed") {
            let answer = try await invoke(modelID, JSONObject(pairs: ["texts": .array(inputs.map { .string($0) }), "input_type": "search_document"]), deadlines: target.deadlines)
            vectors = answer["embeddings"]?.arrayValue ?? []
        } else {
            throw GatewayError(
                .invalidRequest, status: 400,
                message: "provider '\(call.providerName)': Bedrock embeddings are served for Titan and Cohere embedding models only", param: "model")
        }
        let data: [JSONValue] = vectors.enumerated().map { ["object": "embedding", "index": .number($0.offset), "embedding": $0.element] }
        let list: JSONValue = [
            "object": "list", "data": .array(data), "model": .string(target.model),
            "usage": ["prompt_tokens": .number(tokens), "total_tokens": .number(tokens)],
        ]
        return ByteBuffer(bytes: JSONWriter.bytes(list))
    }

    private func invoke(_ modelID: String, _ body: JSONObject, deadlines: UpstreamDeadlines) async throws(GatewayError) -> JSONObject {
        let response = try await send(model: modelID, operation: "invoke", body: .object(body), stream: false, deadlines: deadlines)
        return try call.parse(try await call.collect(response))
    }
}
