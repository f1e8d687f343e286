import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import NIOCore
import NIOHTTP1
import SwitchyardCore
import Synchronization
import Testing
import _CryptoExtras

@testable import SwitchyardProviders

/// `kind: vertex_ai` end to end: the service-account token exchange (checked by the fixture's
/// token endpoint), Gemini and Claude on Vertex, streamed and not.
@Suite("Vertex AI upstream")
struct VertexUpstreamTests {
    static let object = GeminiUpstreamTests.object
    static let chunks = AnthropicUpstreamTests.chunks
    static let prefix = "/v1/projects/\(VertexFixture.project)/locations/\(VertexFixture.location)/publishers/"

    @Test func geminiOnVertexWithAnExchangedToken() async throws {
        let fixture = VertexFixture()
        let upstream = fixture.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: VertexFixture.config(port: port)) { client in
                let (status, text) = try await BedrockUpstreamTests.post(client, GeminiUpstreamTests.conversation.replacingOccurrences(of: #""model":"tools""#, with: #""model":"gemini""#))
                #expect(status == .ok, "\(text)")
                let choice = (Self.object(ByteBuffer(string: text))["choices"] as? [[String: Any]])?.first
                #expect(choice?["finish_reason"] as? String == "tool_calls")
                let calls = (choice?["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]]
                #expect(calls?.map { ($0["function"] as? [String: Any])?["name"] as? String } == ["get_weather", "get_time"])
                let (streamStatus, stream) = try await BedrockUpstreamTests.post(client, GatewayHarness.chatBody(model: "gemini", stream: true).string)
                #expect(streamStatus == .ok)
                let deltas = Self.chunks(stream).compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
                #expect(deltas.compactMap { $0["content"] as? String }.joined() == "The sky is blue.")
                #expect(deltas.contains { $0["tool_calls"] != nil })
                #expect(stream.hasSuffix("data: [DONE]\n\n"))
            }
        }
        #expect(fixture.exchanges == 1)
        let calls = upstream.received.filter { $0.path != "/token" }
        #expect(calls.map(\.path) == [Self.prefix + "google/models/gemini-2.0-flash:generateContent", Self.prefix + "google/models/gemini-2.0-flash:streamGenerateContent"])
        #expect(calls.last?.query == "alt=sse")
        #expect(calls.allSatisfy { $0.header("authorization") == "Bearer ya29.fixture-1" })
        #expect((calls.first?.json["contents"] as? [[String: Any]])?.count == 3)
    }

    @Test func claudeOnVertexUsesRawPredictWithTheVertexVersion() async throws {
        let fixture = VertexFixture()
        let upstream = fixture.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: VertexFixture.config(port: port)) { client in
                let (status, text) = try await BedrockUpstreamTests.post(client, GatewayHarness.chatBody(model: "claude").string)
                #expect(status == .ok)
                let message = (Self.object(ByteBuffer(string: text))["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
                #expect(((message?["tool_calls"] as? [[String: Any]])?.first?["id"] as? String) == "toolu_01A09q90qw90lq917835lq9")
                let (streamStatus, stream) = try await BedrockUpstreamTests.post(client, GatewayHarness.chatBody(model: "claude", stream: true).string)
                #expect(streamStatus == .ok)
                let calls = Self.chunks(stream).compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["tool_calls"] as? [[String: Any]] }
                #expect(calls.compactMap { $0.first?["id"] as? String } == ["toolu_01T1x1fJ34qAmk2tNTrN7Up6", "toolu_02BqHc7p4kS6W1rVfQ3nLm8Z"])
                // An Anthropic-format client, through the same upstream.
                let messages = #"{"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"Weather?"}]}"#
                let (anthropicStatus, answer) = try await BedrockUpstreamTests.post(client, messages, uri: "/v1/messages")
                #expect(anthropicStatus == .ok)
                #expect((Self.object(ByteBuffer(string: answer))["content"] as? [[String: Any]])?.last?["name"] as? String == "get_weather")
            }
        }
        let calls = upstream.received.filter { $0.path != "/token" }
        #expect(calls.map(\.path) == [
            Self.prefix + "anthropic/models/claude-3-5-sonnet-v2@20241022:rawPredict", Self.prefix + "anthropic/models/claude-3-5-sonnet-v2@20241022:streamRawPredict",
            Self.prefix + "anthropic/models/claude-3-5-sonnet-v2@20241022:rawPredict",
        ])
        #expect(calls.allSatisfy { $0.json["anthropic_version"] as? String == "vertex-2023-10-16" && $0.json["model"] == nil })
        #expect(calls[1].json["stream"] as? Bool == true)
        #expect(fixture.exchanges == 1)
    }

    @Test func tokensAndKeysNeverReachLogsOrClients() async throws {
        let fixture = VertexFixture(exchangeDelay: .zero)
        let upstream = fixture.upstream
        let logs = InMemoryLogHandler()
        let seen = try await upstream.run { port in
            let yaml = VertexFixture.config(port: port).replacingOccurrences(of: "access_log: false", with: "access_log: true")
            return try await GatewayHarness.withGateway(yaml: yaml, logHandler: logs) { client in
                var seen = ""
                for body in [GatewayHarness.chatBody(model: "gemini"), GatewayHarness.chatBody(model: "claude", stream: true), GatewayHarness.chatBody(model: "missing-model")] {
                    seen += try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: body) { response in
                        response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + String(buffer: response.body)
                    }
                }
                return seen
            }
        }
        let assertion = try #require(upstream.received.first { $0.path == "/token" }).body
        let logged = logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!logged.isEmpty)
        for secret in ["ya29.fixture-1", "PRIVATE KEY", String(decoding: assertion, as: UTF8.self).suffix(40).description] {
            #expect(!seen.contains(secret))
            #expect(!logged.contains(secret))
        }
    }

    @Test func aHundredConcurrentRequestsShareOneTokenExchange() async throws {
        let fixture = VertexFixture(exchangeDelay: .milliseconds(500))
        let upstream = fixture.upstream
        let statuses = try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: VertexFixture.config(port: port)) { client in
                let gateway = try #require(client.port)
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for _ in 0..<100 {
                        group.addTask {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway)/v1/chat/completions")
                            request.method = .POST
                            request.headers.add(name: "content-type", value: "application/json")
                            request.body = .bytes(GatewayHarness.chatBody(model: "gemini"))
                            let response = try await http.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            return response.status.code
                        }
                    }
                    return try await group.reduce(into: [UInt]()) { $0.append($1) }
                }
                try await http.shutdown()
                return statuses
            }
        }
        #expect(statuses.count == 100)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(fixture.exchanges == 1)
        #expect(upstream.received.filter { $0.path == "/token" }.count == 1)
    }

    @Test func aKeyTheTokenEndpointDoesNotTrustIsAnAuthenticationError() async throws {
        let fixture = VertexFixture(trusted: try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey, exchangeDelay: .zero)
        let upstream = fixture.upstream
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: VertexFixture.config(port: port)) { client in
                for _ in 0..<2 {
                    let (status, text) = try await BedrockUpstreamTests.post(client, GatewayHarness.chatBody(model: "gemini").string)
                    #expect(status == .unauthorized)
                    #expect(text.contains(VertexFixture.email))
                    #expect(text.contains("invalid signature"))
                    #expect(!text.contains("PRIVATE KEY"))
                }
            }
        }
        // A failed exchange is not cached: the second request tried again.
        #expect(upstream.received.filter { $0.path == "/token" }.count == 2)
        #expect(upstream.received.allSatisfy { $0.path == "/token" })
    }

    @Test func cachedTokensAreRefreshedShortlyBeforeTheyExpire() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let fetches = Mutex(0)
        let failNext = Mutex(false)
        let cache = AccessTokenCache(margin: 300, now: { clock.withLock { $0 } }) { () async throws(GatewayError) in
            if failNext.withLock({ $0 }) { throw GatewayError(.upstreamError, status: 401, message: "refused") }
            let n = fetches.withLock { $0 += 1; return $0 }
            return ("token-\(n)", 3600)
        }
        #expect(try await cache.token() == "token-1")
        clock.withLock { $0 += 3299 }
        #expect(try await cache.token() == "token-1")
        clock.withLock { $0 += 2 }
        failNext.withLock { $0 = true }
        await #expect(throws: GatewayError.self) { try await cache.token() }
        failNext.withLock { $0 = false }
        #expect(try await cache.token() == "token-2")
        #expect(fetches.withLock { $0 } == 2)
    }

    @Test func anExpiredTokenIsRefreshedOnceUnderConcurrency() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let fetches = Mutex(0)
        let cache = AccessTokenCache(margin: 300, now: { clock.withLock { $0 } }) { () async throws(GatewayError) in
            let n = fetches.withLock { $0 += 1; return $0 }
            try? await Task.sleep(for: .milliseconds(200))
            return ("token-\(n)", 3600)
        }
        #expect(try await cache.token() == "token-1")
        clock.withLock { $0 += 3400 }
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<100 { group.addTask { try await cache.token() } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens == ["token-2"])
        #expect(fetches.withLock { $0 } == 2)
    }
}
