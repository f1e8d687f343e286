import Crypto
import Foundation
import SwitchyardCore

/// AWS Signature Version 4, computed in-process: the `authorization`, `x-amz-date` and (with a
/// session token) `x-amz-security-token` headers for one request. Matches botocore's
/// `SigV4Auth` byte for byte (checked against vectors it generated:
/// `scripts/gen_sigv4_vectors.py`), including its double encoding of the already
/// percent-encoded path that Bedrock model ids (`…-v1%3A0`) need.
struct SigV4Signer: Sendable {
    struct Credentials: Sendable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
    }

    let credentials: Credentials
    let region: String
    let service: String

    /// Headers never signed (botocore's list): proxies and clients may change them.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// The headers to add to the request.
    /// - Parameters:
    ///   - url: the URL as sent, path already percent-encoded.
    ///   - headers: the request's other headers, all signed (except `unsignedHeaders`).
    func sign(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8], date: Date = Date()) -> [(name: String, value: String)] {
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        var added: [(name: String, value: String)] = [("x-amz-date", timestamp)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }

        let parts = Self.split(url)
        var signed: [String: [String]] = [:]
        for header in headers + added {
            let name = header.name.lowercased()
            guard !Self.unsignedHeaders.contains(name) else { continue }
            signed[name, default: []].append(header.value.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        }
        if signed["host"] == nil { signed["host"] = [parts.host] }
        let names = signed.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(signed[$0]!.joined(separator: ","))\n" }.joined()
        let canonicalRequest = [
            method.uppercased(), OpenAIEndpoint.pathSegment(parts.path.isEmpty ? "/" : parts.path, keepingSlashes: true), Self.canonicalQuery(parts.query),
            canonicalHeaders, signedHeaders, Self.hex(SHA256.hash(data: body)),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))))"
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        added.append(("authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        return added
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        CivilDate.timestamp(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)), dateSeparator: "", timeSeparator: "") + "Z"
    }

    /// Host (lowercased, userinfo and default port dropped), path and query of `url`.
    static func split(_ url: String) -> (host: String, path: String, query: String) {
        var rest = Substring(url)
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority.lowercased()
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") { host = String(host[..<colon]) }
        }
        let pathAndQuery = rest[authorityEnd...]
        guard let question = pathAndQuery.firstIndex(of: "?") else { return (host, String(pathAndQuery), "") }
        return (host, String(pathAndQuery[..<question]), String(pathAndQuery[pathAndQuery.index(after: question)...]))
    }

    /// The query's `key=value` pairs as written, sorted by key then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> (key: [UInt8], value: [UInt8]) in
            guard let equals = pair.firstIndex(of: "=") else { return (Array(pair.utf8), []) }
            return (Array(pair[..<equals].utf8), Array(pair[pair.index(after: equals)...].utf8))
        }
        return pairs.sorted { a, b in
            a.key == b.key ? a.value.lexicographicallyPrecedes(b.value) : a.key.lexicographicallyPrecedes(b.key)
        }.map { String(decoding: $0.key, as: UTF8.self) + "=" + String(decoding: $0.value, as: UTF8.self) }.joined(separator: "&")
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
