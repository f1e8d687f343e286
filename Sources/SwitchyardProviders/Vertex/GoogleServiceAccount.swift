import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore
import _CryptoExtras

/// A Google service account: signs an RS256 JWT assertion with the account's private key and
/// exchanges it at the account's `token_uri` for an OAuth access token (the JWT-bearer grant,
/// RFC 7523), as Google's client libraries do.
struct GoogleServiceAccount: Sendable {
    static let scope = "https://www.googleapis.com/auth/cloud-platform"

    let email: String
    let keyID: String?
    let tokenURI: String
    private let key: _RSA.Signing.PrivateKey

    /// - Throws: when the private key is not an RSA PEM key (the message never shows the key).
    init(_ account: VertexSettings.ServiceAccount) throws(GatewayError) {
        guard let key = try? _RSA.Signing.PrivateKey(pemRepresentation: account.privateKey) else {
            throw GatewayError(.internalError, status: 500, message: "the service account \(account.clientEmail) has a private_key that is not an RSA PEM key")
        }
        self.key = key
        self.email = account.clientEmail
        self.keyID = account.privateKeyID
        self.tokenURI = account.tokenURI
    }

    /// The signed JWT: `{alg: RS256, typ: JWT, kid}` . `{iss, scope, aud: token_uri, iat, exp}`,
    /// valid one hour.
    func assertion(now: Date) throws(GatewayError) -> String {
        let issued = Int(now.timeIntervalSince1970)
        var header = JSONObject(pairs: ["alg": "RS256", "typ": "JWT"])
        if let keyID { header["kid"] = .string(keyID) }
        let claims: JSONValue = [
            "iss": .string(email), "scope": .string(Self.scope), "aud": .string(tokenURI),
            "iat": .number(issued), "exp": .number(issued + 3600),
        ]
        let input = Self.base64URL(JSONWriter.bytes(.object(header))) + "." + Self.base64URL(JSONWriter.bytes(claims))
        guard let signature = try? key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5) else {
            throw GatewayError(.internalError, status: 500, message: "could not sign the service-account assertion for \(email)")
        }
        return input + "." + Self.base64URL(Array(signature.rawRepresentation))
    }

    /// Exchanges a fresh assertion for an access token.
    /// - Returns: the token and how long it is valid.
    func exchange(call: UpstreamCall, now: Date, deadlines: UpstreamDeadlines) async throws(GatewayError) -> (token: String, lifetime: TimeInterval) {
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + (try assertion(now: now))
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        let response = try await call.post(url: tokenURI, headers: headers, body: ByteBuffer(string: form), stream: false, deadlines: deadlines)
        let answer = try call.parse(try await call.collect(response))
        guard let token = answer["access_token"]?.stringValue else {
            throw GatewayError(.upstreamInvalidResponse, status: 502, message: "the token endpoint for \(email) answered without an access_token")
        }
        return (token, TimeInterval(answer["expires_in"]?.intValue ?? 3600))
    }

    /// OAuth errors (`{"error": "invalid_grant", "error_description": …}`) → a 401 naming the
    /// account, never the assertion.
    static func tokenError(provider: String, email: String) -> @Sendable (Int, HTTPHeaders, [UInt8]) -> GatewayError? {
        { status, _, body in
            let object = (try? JSONParser.parse(body))?.objectValue
            let reason = [object?["error"]?.stringValue, object?["error_description"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            let message = "upstream provider '\(provider)': the token endpoint refused the service account \(email) (HTTP \(status)\(reason.isEmpty ? "" : ", \(reason)"))"
            return UpstreamFailure.classified(status: status >= 500 ? 502 : 401, message: message, code: "invalid_service_account", type: "authentication_error")
        }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
