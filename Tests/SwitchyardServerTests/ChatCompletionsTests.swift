import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import SwitchyardServer

@Suite("chat completions through a real fake upstream")
struct ChatCompletionsTests {
    func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    func errorObject(_ buffer: ByteBuffer) -> [String: Any] {
        json(buffer)["error"] as? [String: Any] ?? [:]
    }

    @Test func nonStreamingIsForwardedWithUpstreamModelNameAndUnknownFieldsKept() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                let body = ByteBuffer(string: #"{"model":"client-ok","messages":[{"role":"user","content":"hi"}],"x_future_param":{"nested":[1,2.50,"é"]},"temperature":0.70}"#)
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[HTTPField.Name("x-switchyard-target")!] == "fake/ok")
                    #expect(response.headers[HTTPField.Name("x-switchyard-request-id")!] != nil)
                    let message = ((json(response.body)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
                    #expect(message?["content"] as? String == "upstream saw model ok")
                }
            }
        }
        let sent = try #require(upstream.received.first)
        // Only `model` changed: every other byte, unknown fields and number spellings included, is the client's.
        #expect(String(decoding: sent.body, as: UTF8.self) == #"{"model":"ok","messages":[{"role":"user","content":"hi"}],"x_future_param":{"nested":[1,2.50,"é"]},"temperature":0.70}"#)
        #expect(sent.headers[.authorization] == "Bearer sk-upstream-secret")
    }

    @Test func pathWithoutV1PrefixWorks() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                try await client.execute(uri: "/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func streamingChunksArriveBeforeTheUpstreamFinishes() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                let gatewayPort = try #require(client.port)
                let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
                defer { _ = http.shutdown() }
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)/v1/chat/completions")
                request.method = .POST
                request.body = .bytes(GatewayHarness.chatBody(model: "client-stream", stream: true))
                let response = try await http.execute(request, timeout: .seconds(10))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "content-type") == "text/event-stream")
                var received = ""
                var iterator = response.body.makeAsyncIterator()
                // The upstream holds the rest back until released: the first chunk must get
                // through the gateway on its own.
                while !received.contains("first") {
                    guard let chunk = try await iterator.next() else { break }
                    received += String(buffer: chunk)
                }
                #expect(received.contains("first"))
                #expect(!received.contains("second"))
                upstream.releaseStream()
                while let chunk = try await iterator.next() { received += String(buffer: chunk) }
                #expect(received.contains("second"))
                #expect(received.hasSuffix("data: [DONE]\n\n"))
                try await http.shutdown()
            }
        }
    }

    @Test func clientDisconnectCancelsTheUpstreamRequest() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                let gatewayPort = try #require(client.port)
                let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(gatewayPort)/v1/chat/completions")
                request.method = .POST
                request.body = .bytes(GatewayHarness.chatBody(model: "client-endless", stream: true))
                let reader = Task {
                    let response = try await http.execute(request, timeout: .seconds(30))
                    var iterator = response.body.makeAsyncIterator()
                    _ = try await iterator.next()
                    // Hang up mid-stream.
                    try await http.shutdown()
                }
                _ = try? await reader.value
                for _ in 0..<100 where !upstream.sawDisconnect {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(upstream.sawDisconnect, "the upstream should see its reader go away within 5 s")
            }
        }
    }

    @Test func upstreamFailureMidStreamEndsWithAnErrorEvent() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "client-break", stream: true)) { response in
                    let text = String(buffer: response.body)
                    #expect(text.contains("partial"))
                    #expect(text.contains(#""error""#))
                    #expect(!text.contains("[DONE]"))
                }
            }
        }
    }

    @Test(arguments: [
        ("fail-500", 500, "upstream says 500"),
        ("fail-429", 429, "upstream says 429"),
        ("fail-400", 400, "upstream says 400"),
        ("plain-503", 503, "plain failure text"),
    ])
    func upstreamErrorsKeepStatusAndMessage(model: String, status: Int, message: String) async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                for stream in [false, true] {
                    try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: model, stream: stream)) { response in
                        #expect(response.status.code == status)
                        #expect((errorObject(response.body)["message"] as? String)?.contains(message) == true)
                        if status == 429 { #expect(response.headers[.retryAfter] == "7") }
                    }
                }
                // And the gateway keeps serving.
                try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test func unreachableUpstreamIs502NamingTheProvider() async throws {
        let upstream = FakeUpstream()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: GatewayHarness.config(upstreamPort: port)) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, body: GatewayHarness.chatBody(model: "unreachable")) { response in
                    #expect(response.status == .badGateway)
                    let error = errorObject(response.body)
                    #expect(error["code"] as? String == "upstream_unreachable")
                    let message = try #require(error["message"] as? String)
                    #expect(message.contains("'nowhere'"))
                    #expect(!message.contains("sk-x"))
                }
            }
        }
    }
}
