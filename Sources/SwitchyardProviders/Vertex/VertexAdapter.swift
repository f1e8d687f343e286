import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Google Vertex AI, authenticated with a service account's OAuth token (`AccessTokenCache`).
/// `claude-*` models are Anthropic's, called with `rawPredict` / `streamRawPredict` and the
/// Anthropic translation (`anthropic_version: vertex-2023-10-16` in the body, the model in the
/// URL); every other model is Google's, called with `generateContent` /
/// `streamGenerateContent?alt=sse` and the Gemini translation.
struct VertexAdapter: ProviderAdapter {
    static let anthropicVersion = "vertex-2023-10-16"

    let geminiCall: UpstreamCall
    let anthropicCall: UpstreamCall
    /// `{base}/v1/projects/{project}/locations/{location}/publishers/`
    let publishersURL: String
    let tokens: AccessTokenCache
    let extraHeaders: [(name: String, value: String)]

    init(provider: ProviderSpec, clients: UpstreamClients) {
        var geminiCall = UpstreamCall(clients: clients, provider: provider)
        geminiCall.translateError = GeminiErrors.gatewayError(provider: provider.name)
        var anthropicCall = UpstreamCall(clients: clients, provider: provider)
        anthropicCall.translateError = AnthropicErrors.gatewayError(provider: provider.name)
        self.geminiCall = geminiCall
        self.anthropicCall = anthropicCall
        let location = provider.vertex.location ?? "us-central1"
        let host = location == "global" ? "https://aiplatform.googleapis.com" : "https://\(location)-aiplatform.googleapis.com"
        let project = OpenAIEndpoint.pathSegment(provider.vertex.project ?? "")
        publishersURL = "\(provider.apiBase ?? host)/v1/projects/\(project)/locations/\(OpenAIEndpoint.pathSegment(location))/publishers/"
        extraHeaders = provider.headers

        let account: Result<GoogleServiceAccount, GatewayError> =
            if let spec = provider.vertex.serviceAccount { Result { () throws(GatewayError) in try GoogleServiceAccount(spec) } }
            else { .failure(GatewayError(.modelUnavailable, status: 503, message: "provider '\(provider.name)' has no service account")) }
        var tokenCall = UpstreamCall(clients: clients, provider: provider)
        if case .success(let account) = account {
            tokenCall.translateError = GoogleServiceAccount.tokenError(provider: provider.name, email: account.email)
        }
        // The token exchange is short: 30 s unless the provider sets its own deadlines.
        let deadlines = provider.deadlines.applied(to: UpstreamDeadlines(connect: .seconds(10), headers: .seconds(30), idle: .seconds(30), total: .seconds(60)))
        let call = tokenCall
        tokens = AccessTokenCache { () async throws(GatewayError) in
            try await account.get().exchange(call: call, now: Date(), deadlines: deadlines)
        }
    }

    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply {
        // Vertex writes versions as `claude-3-7-sonnet@20250219`; `@` stays literal, as in Google's URLs.
        let model = OpenAIEndpoint.pathSegment(target.model).replacingOccurrences(of: "%40", with: "@")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        for header in extraHeaders { headers.replaceOrAdd(name: header.name, value: header.value) }
        headers.replaceOrAdd(name: "authorization", value: "Bearer \(try await tokens.token())")
        if target.model.hasPrefix("claude") {
            var body = try AnthropicRequestTranslation.translate(request, model: target.model)
            body["model"] = nil
            body["anthropic_version"] = .string(Self.anthropicVersion)
            let url = publishersURL + "anthropic/models/\(model):" + (request.stream ? "streamRawPredict" : "rawPredict")
            let response = try await anthropicCall.post(
                url: url, headers: headers, body: ByteBuffer(bytes: JSONWriter.bytes(.object(body))), stream: request.stream, deadlines: target.deadlines)
            return try await AnthropicAdapter.reply(response, to: request, target: target, call: anthropicCall)
        }
        let body = try GeminiRequestTranslation.translate(request)
        let url = publishersURL + "google/models/\(model):" + (request.stream ? "streamGenerateContent?alt=sse" : "generateContent")
        let response = try await geminiCall.post(
            url: url, headers: headers, body: ByteBuffer(bytes: JSONWriter.bytes(.object(body))), stream: request.stream, deadlines: target.deadlines)
        return try await GeminiAdapter.reply(response, to: request, target: target, context: context, call: geminiCall)
    }
}
