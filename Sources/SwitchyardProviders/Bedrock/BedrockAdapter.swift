import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// AWS Bedrock Runtime. A target's model is a Bedrock model id, inference-profile id
/// (`us.anthropic…`) or ARN, optionally prefixed by the API to use, as LiteLLM names them:
/// `converse/…` (the default) → Converse / ConverseStream for any model family;
/// `invoke/…` → InvokeModel / InvokeModelWithResponseStream with the Anthropic body
/// (Anthropic models). Requests are SigV4-signed, or carry a Bedrock API key as a bearer token.
struct BedrockAdapter: ProviderAdapter {
    enum Authorization: Sendable {
        case signature(SigV4Signer)
        case bearer(String)
    }

    enum Route { case converse, invoke }

    let call: UpstreamCall
    /// `https://bedrock-runtime.{region}.amazonaws.com`, or the provider's `api_base`.
    let base: String
    let authorization: Authorization
    let extraHeaders: [(name: String, value: String)]
    /// Credential values redacted from upstream error messages.
    let secrets: [String]

    init(provider: ProviderSpec, clients: UpstreamClients) {
        let aws = provider.aws
        let region = aws.region ?? "us-east-1"
        secrets = [aws.secretAccessKey, aws.sessionToken, provider.apiKey].compactMap { $0 }
        var call = UpstreamCall(clients: clients, provider: provider)
        call.translateError = BedrockErrors.gatewayError(provider: provider.name, secrets: secrets)
        self.call = call
        base = provider.apiBase ?? "https://bedrock-runtime.\(region).amazonaws.com"
        if let key = provider.apiKey, !key.isEmpty {
            authorization = .bearer(key)
        } else {
            let credentials = SigV4Signer.Credentials(
                accessKeyID: aws.accessKeyID ?? "", secretAccessKey: aws.secretAccessKey ?? "", sessionToken: aws.sessionToken)
            authorization = .signature(SigV4Signer(credentials: credentials, region: region, service: "bedrock"))
        }
        extraHeaders = provider.headers
    }

    /// `converse/ID` / `invoke/ID` / `ID` → the API and the model id.
    static func route(_ model: String) -> (Route, String) {
        if model.hasPrefix("converse/") { return (.converse, String(model.dropFirst("converse/".count))) }
        if model.hasPrefix("invoke/") { return (.invoke, String(model.dropFirst("invoke/".count))) }
        return (.converse, model)
    }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        let (route, modelID) = Self.route(target.model)
        let includeUsage = request["stream_options"]?.objectValue?["include_usage"]?.boolValue == true
        switch route {
        case .converse:
            let body = try ConverseRequestTranslation.translate(request, model: modelID)
            let response = try await send(model: modelID, operation: request.stream ? "converse-stream" : "converse", body: .object(body), stream: request.stream, deadlines: target.deadlines)
            if request.stream {
                let translator = ConverseStreamTranslator(
                    model: target.model, includeUsage: includeUsage, provider: call.providerName, requestID: context.requestID, secrets: secrets)
                return .stream(ByteStream(translating: response.body, with: translator))
            }
            let answer = try call.parse(try await call.collect(response))
            let completion = try ConverseResponseTranslation.chatCompletion(answer, model: target.model, provider: call.providerName, requestID: context.requestID)
            return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(completion)))
        case .invoke:
            // An ARN (an application inference profile) does not name its model: it is trusted.
            guard modelID.contains("anthropic.") || modelID.hasPrefix("arn:") else {
                throw GatewayError(
                    .invalidRequest, status: 400,
                    message: "provider '\(call.providerName)': invoke/ serves Anthropic models only; use converse/\(modelID)", param: "model")
            }
            var body = try AnthropicRequestTranslation.translate(request, model: modelID)
            body["model"] = nil
            body["stream"] = nil
            body["anthropic_version"] = "bedrock-2023-05-31"
            let response = try await send(
                model: modelID, operation: request.stream ? "invoke-with-response-stream" : "invoke", body: .object(body), stream: request.stream,
                deadlines: target.deadlines)
            if request.stream {
                let translator = InvokeStreamTranslator(model: target.model, includeUsage: includeUsage, provider: call.providerName, secrets: secrets)
                return .stream(ByteStream(translating: response.body, with: translator))
            }
            let message = try call.parse(try await call.collect(response))
            return .complete(body: ByteBuffer(bytes: JSONWriter.bytes(AnthropicResponseTranslation.chatCompletion(message, model: target.model))))
        }
    }

    /// POSTs `body` to `{base}/model/{model}/{operation}`, signed.
    func send(model: String, operation: String, body: JSONValue, stream: Bool, deadlines: UpstreamDeadlines) async throws(GatewayError) -> UpstreamResponse {
        let url = "\(base)/model/\(OpenAIEndpoint.pathSegment(model))/\(operation)"
        let bytes = JSONWriter.bytes(body)
        var fields: [(name: String, value: String)] = [
            ("host", SigV4Signer.split(url).host), ("content-type", "application/json"),
            ("accept", stream ? "application/vnd.amazon.eventstream" : "application/json"),
        ]
        fields += extraHeaders
        switch authorization {
        case .signature(let signer): fields += signer.sign(method: "POST", url: url, headers: fields, body: bytes)
        case .bearer(let key): fields.append(("authorization", "Bearer \(key)"))
        }
        var headers = HTTPHeaders()
        for field in fields { headers.replaceOrAdd(name: field.name, value: field.value) }
        return try await call.post(url: url, headers: headers, body: ByteBuffer(bytes: bytes), stream: false, deadlines: deadlines)
    }
}
