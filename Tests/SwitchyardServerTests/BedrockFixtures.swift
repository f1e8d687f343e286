import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

@testable import SwitchyardProviders

/// A fake Bedrock Runtime in the shapes of the AWS API reference (Converse, ConverseStream,
/// InvokeModel, InvokeModelWithResponseStream; errors as `x-amzn-errortype` + `{"message"}`),
/// which checks the SigV4 signature of every request the way AWS does: it recomputes it from
/// the received method, path, signed headers and body with the test credentials, and answers
/// 403 `InvalidSignatureException` when it differs. (The signer itself is checked against
/// botocore in `SigV4SignerTests`.)
enum BedrockFixtures {
    static let accessKeyID = "AKIDSWITCHYARDTEST"
    static let secretAccessKey = "bedrock-secret-9f8e7d6c5b4a"
    static let sessionToken = "bedrock-session-token-FwoGZXIvYXdzEJr"
    static let apiKey = "bedrock-api-key-ABSKQmVkcm9jaw"
    static let region = "us-west-2"

    static let converseToolAnswer = #"""
    {"output":{"message":{"role":"assistant","content":[{"text":"I'll look that up."},
      {"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"get_weather","input":{"location":"Seattle, WA"}}},
      {"toolUse":{"toolUseId":"tooluse_2","name":"get_time","input":{"tz":"PST"}}}]}},
     "stopReason":"tool_use","usage":{"inputTokens":120,"outputTokens":40,"totalTokens":160},"metrics":{"latencyMs":950}}
    """#
    static let guardrailAnswer = #"""
    {"output":{"message":{"role":"assistant","content":[{"text":"Sorry, the model cannot answer this question."}]}},
     "stopReason":"guardrail_intervened","usage":{"inputTokens":10,"outputTokens":0,"totalTokens":10}}
    """#

    static func fixture(_ name: String) -> [UInt8] {
        EventStreamDecoderTests.fixture(name)
    }

    /// Whether `received` carries a valid signature by the test credentials (and the session token).
    static func signatureIsValid(_ received: FixtureUpstream.Received) -> Bool {
        guard let authorization = received.header("authorization"), let date = received.header("x-amz-date"),
            received.header("x-amz-security-token") == sessionToken,
            let signedPart = authorization.split(separator: " ").first(where: { $0.hasPrefix("SignedHeaders=") })
        else { return false }
        let names = signedPart.dropFirst("SignedHeaders=".count).split(separator: ";").map { String($0.hasSuffix(",") ? $0.dropLast() : $0) }
        let headers = names.filter { $0 != "x-amz-date" && $0 != "x-amz-security-token" }.map { ($0, received.header($0) ?? "") }
        let host = received.header("host") ?? ""
        let url = "http://\(host)\(received.path)\(received.query.isEmpty ? "" : "?" + received.query)"
        let signer = SigV4Signer(credentials: .init(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken), region: region, service: "bedrock")
        let expected = signer.sign(method: "POST", url: url, headers: headers, body: received.body, date: SigV4SignerTests.date(date))
        return expected.first { $0.name == "authorization" }?.value == authorization
            && abs(SigV4SignerTests.date(date).timeIntervalSinceNow) < 300
    }

    static func error(_ type: String, _ status: HTTPResponse.Status, _ message: String) -> Response {
        FixtureUpstream.json(#"{"message":"\#(message)"}"#, status: status, headers: [HTTPField.Name("x-amzn-errortype")!: "\(type):http://internal.amazon.com/coral/com.amazon.bedrock/"])
    }

    static func eventStream(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/vnd.amazon.eventstream"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static var upstream: FixtureUpstream {
        FixtureUpstream { received in
            if received.header("authorization") == "Bearer \(apiKey)" {
                return FixtureUpstream.json(#"{"output":{"message":{"role":"assistant","content":[{"text":"keyed"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}"#)
            }
            guard signatureIsValid(received) else {
                return error("InvalidSignatureException", .forbidden, "The request signature we calculated does not match the signature you provided.")
            }
            let parts = received.path.split(separator: "/")
            guard parts.count == 3, parts[0] == "model" else { return error("UnknownOperationException", .notFound, "not found") }
            let model = String(parts[1]).removingPercentEncoding ?? ""
            switch (model, String(parts[2])) {
            case ("amazon.titan-embed-text-v2:0", "invoke"):
                let text = received.json["inputText"] as? String ?? ""
                return FixtureUpstream.json(#"{"embedding":[\#(text.count),0.5],"inputTextTokenCount":\#(text.count)}"#)
            case ("cohere.embed-english-v3", "invoke"):
                let count = (received.json["texts"] as? [String])?.count ?? 0
                let vectors = Array(repeating: "[0.25,-0.25]", count: count).joined(separator: ",")
                return FixtureUpstream.json(#"{"embeddings":[\#(vectors)],"id":"emb-1","response_type":"embeddings_floats","texts":[]}"#)
            case (_, "converse") where model.hasPrefix("anthropic.") || model.hasPrefix("us."): return FixtureUpstream.json(converseToolAnswer)
            case (_, "converse-stream") where model.hasPrefix("anthropic.") || model.hasPrefix("us."): return eventStream(fixture("converse_stream.bin"))
            case (_, "invoke"): return FixtureUpstream.json(AnthropicFixtures.toolUseMessage)
            case (_, "invoke-with-response-stream"): return eventStream(fixture("invoke_stream.bin"))
            case ("throttle", _): return error("ThrottlingException", .tooManyRequests, "Too many requests, please wait before trying again.")
            case ("toolong", _): return error("ValidationException", .badRequest, "Input is too long for requested model.")
            case ("unavailable", _): return error("ServiceUnavailableException", .serviceUnavailable, "Bedrock is unable to process your request.")
            case ("guardrail", _): return FixtureUpstream.json(guardrailAnswer)
            case ("denied", _):
                // AWS's signature errors explain the canonical request, which holds the session token.
                return error("AccessDeniedException", .forbidden,
                    "User is not authorized to perform bedrock:InvokeModel. The Canonical String for this request should have been 'POST x-amz-security-token:\(sessionToken)' \(secretAccessKey)")
            case ("corrupt", "converse-stream"):
                var bytes = fixture("converse_stream.bin")
                bytes[40] ^= 0xFF
                return eventStream(bytes)
            case ("midstream", "converse-stream"): return eventStream(fixture("converse_stream_throttled.bin"))
            default: return error("ResourceNotFoundException", .notFound, "Could not resolve the foundation model from the provided model identifier.")
            }
        }
    }

    static func config(port: Int) -> String {
        """
        server: {access_log: false}
        providers:
          aws:
            kind: bedrock
            api_base: "http://127.0.0.1:\(port)"
            aws_access_key_id: \(accessKeyID)
            aws_secret_access_key: \(secretAccessKey)
            aws_session_token: \(sessionToken)
            aws_region_name: \(region)
          aws-key: {kind: bedrock, api_base: "http://127.0.0.1:\(port)", api_key: \(apiKey)}
          canned: {kind: mock, mock_response: "backup answer"}
        models:
          claude: {provider: aws, model: "anthropic.claude-3-5-sonnet-20240620-v1:0"}
          claude-profile: {provider: aws, model: "converse/us.anthropic.claude-3-7-sonnet-20250219-v1:0"}
          claude-invoke: {provider: aws, model: "invoke/anthropic.claude-3-5-sonnet-20240620-v1:0"}
          claude-profile-arn: {provider: aws, model: "invoke/arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123"}
          llama-invoke: {provider: aws, model: "invoke/meta.llama3-70b-instruct-v1:0"}
          throttled: {provider: aws, model: throttle}
          toolong: {provider: aws, model: toolong}
          unavailable: {provider: aws, model: unavailable}
          guardrail: {provider: aws, model: guardrail}
          denied: {provider: aws, model: denied}
          corrupt: {provider: aws, model: corrupt}
          midstream: {provider: aws, model: midstream}
          keyed: {provider: aws-key, model: "meta.llama3-70b-instruct-v1:0"}
          titan: {provider: aws, model: "amazon.titan-embed-text-v2:0"}
          cohere-embed: {provider: aws, model: "cohere.embed-english-v3"}
          backup: {provider: canned}
        \(GatewayHarness.fallbackPipelines(on: "context_window, content_policy, rate_limit"))
        """
    }
}
