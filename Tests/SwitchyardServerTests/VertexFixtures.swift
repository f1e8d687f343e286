import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import _CryptoExtras

/// A fake Google: an OAuth token endpoint that verifies the RS256 JWT assertion with the test
/// service account's public key (and its claims), counts exchanges and issues expiring tokens;
/// and Vertex AI's `generateContent` / `rawPredict` endpoints (shapes from Google's and
/// Anthropic's Vertex references) that accept only a token it issued.
final class VertexFixture: Sendable {
    static let email = "switchyard-test@test-project.iam.gserviceaccount.com"
    static let project = "test-project"
    static let location = "us-east5"
    /// A test-only key made for this process; nothing outside the tests trusts it.
    static let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// The key whose public half the token endpoint checks signatures with.
    let trusted: _RSA.Signing.PublicKey
    let exchangeDelay: Duration
    private let issued = Mutex<[String]>([])

    init(trusted: _RSA.Signing.PublicKey = VertexFixture.key.publicKey, exchangeDelay: Duration = .milliseconds(200)) {
        self.trusted = trusted
        self.exchangeDelay = exchangeDelay
    }

    /// Token exchanges that succeeded.
    var exchanges: Int { issued.withLock { $0.count } }

    /// A service-account key file's JSON (one line) for the fixture on `port`.
    static func credentials(port: Int, key: _RSA.Signing.PrivateKey = VertexFixture.key) -> String {
        let object: [String: String] = [
            "type": "service_account", "project_id": project, "private_key_id": "test-key-1", "private_key": key.pkcs8PEMRepresentation,
            "client_email": email, "client_id": "1234567890", "token_uri": "http://127.0.0.1:\(port)/token",
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    /// Checks the JWT-bearer grant; nil when valid, else why not.
    func rejection(_ received: FixtureUpstream.Received) -> String? {
        let form = String(decoding: received.body, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]).removingPercentEncoding }
        }
        guard fields["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer", let assertion = fields["assertion"] else { return "bad grant" }
        let parts = assertion.split(separator: ".")
        guard parts.count == 3, let signature = Self.base64URLDecode(parts[2]),
            let header = Self.base64URLDecode(parts[0]).flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }),
            let claims = Self.base64URLDecode(parts[1]).flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
        else { return "malformed JWT" }
        guard header["alg"] as? String == "RS256", header["kid"] as? String == "test-key-1" else { return "bad header" }
        let signed = Data("\(parts[0]).\(parts[1])".utf8)
        guard trusted.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signed, padding: .insecurePKCS1v1_5) else {
            return "invalid signature"
        }
        let now = Int(Date().timeIntervalSince1970)
        guard claims["iss"] as? String == Self.email, claims["aud"] as? String == "http://\(received.header("host") ?? "")/token",
            claims["scope"] as? String == "https://www.googleapis.com/auth/cloud-platform",
            let iat = claims["iat"] as? Int, let exp = claims["exp"] as? Int, abs(iat - now) < 60, exp > now, exp - iat <= 3600
        else { return "bad claims \(claims)" }
        return nil
    }

    var upstream: FixtureUpstream {
        FixtureUpstream { received in
            if received.path == "/token" {
                try await Task.sleep(for: self.exchangeDelay)
                if let reason = self.rejection(received) {
                    return FixtureUpstream.json(#"{"error":"invalid_grant","error_description":"\#(reason)"}"#, status: .badRequest)
                }
                let token = self.issued.withLock { tokens in
                    tokens.append("ya29.fixture-\(tokens.count + 1)")
                    return tokens.last!
                }
                return FixtureUpstream.json(#"{"access_token":"\#(token)","expires_in":3599,"token_type":"Bearer"}"#)
            }
            let bearer = received.header("authorization").map { String($0.dropFirst("Bearer ".count)) } ?? ""
            guard self.issued.withLock({ $0.contains(bearer) }) else {
                return FixtureUpstream.json(
                    #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#, status: .unauthorized)
            }
            let prefix = "/v1/projects/\(Self.project)/locations/\(Self.location)/publishers/"
            switch received.path {
            case prefix + "google/models/gemini-2.0-flash:generateContent": return FixtureUpstream.json(GeminiUpstreamTests.toolAnswer)
            case prefix + "google/models/gemini-2.0-flash:streamGenerateContent": return FixtureUpstream.sse(GeminiUpstreamTests.stream)
            case prefix + "anthropic/models/claude-3-5-sonnet-v2@20241022:rawPredict": return FixtureUpstream.json(AnthropicFixtures.toolUseMessage)
            case prefix + "anthropic/models/claude-3-5-sonnet-v2@20241022:streamRawPredict": return FixtureUpstream.sse(AnthropicFixtures.toolStream)
            default:
                return FixtureUpstream.json(#"{"error":{"code":404,"message":"Publisher model not found.","status":"NOT_FOUND"}}"#, status: .notFound)
            }
        }
    }

    static func config(port: Int, credentials: String? = nil) -> String {
        """
        server: {access_log: false}
        providers:
          gcp:
            kind: vertex_ai
            api_base: "http://127.0.0.1:\(port)"
            vertex_project: \(project)
            vertex_location: \(location)
            vertex_credentials: '\(credentials ?? Self.credentials(port: port))'
        models:
          gemini: {provider: gcp, model: gemini-2.0-flash}
          claude: {provider: gcp, model: "claude-3-5-sonnet-v2@20241022"}
        """
    }
}
