import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Conversation state of the Responses API in a real SQLite database: `previous_response_id`,
/// `store: false`, retrieve, input items and delete, each scoped to the key that created it.
@Suite("Responses conversation state")
struct ResponsesStateTests {
    static let master = "sk-master-responses"

    /// An OpenAI-kind upstream whose answer names how many messages it was sent.
    static var upstream: FixtureUpstream { FixtureUpstream { received in
        let count = (received.json["messages"] as? [Any])?.count ?? 0
        return FixtureUpstream.json(#"""
            {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"saw \#(count) messages"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}
            """#)
    } }

    static func withGateway<T: Sendable>(
        _ body: @Sendable (_ client: any TestClientProtocol, _ upstream: FixtureUpstream) async throws -> T
    ) async throws -> T {
        let upstream = Self.upstream
        return try await upstream.run { port in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-responses-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let yaml = """
                server: {access_log: false, master_key: \(Self.master)}
                database: {url: "sqlite://\(directory.path)/state.db", response_retention: 1h}
                providers:
                  up: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-upstream}
                models:
                  gpt-4o: {provider: up, model: gpt-4o}
                """
            return try await GatewayHarness.withStoreGateway(yaml: yaml, file: "\(directory.path)/test.yaml") { client, _ in
                try await body(client, upstream)
            }
        }
    }

    static func headers(_ key: String) -> HTTPFields {
        [.contentType: "application/json", .authorization: "Bearer \(key)"]
    }

    /// A call; returns the status and the JSON answer.
    static func call(
        _ client: any TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get, body: String? = nil, key: String = master
    ) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        try await client.execute(uri: uri, method: method, headers: headers(key), body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:])
        }
    }

    static func text(_ response: [String: Any]) -> String? {
        ((response["output"] as? [[String: Any]])?.first?["content"] as? [[String: Any]])?.first?["text"] as? String
    }

    @Test func previousResponseIDCarriesTheConversationOverThreeTurns() async throws {
        try await Self.withGateway { client, upstream in
            let first = try await Self.call(client, "/v1/responses", method: .post, body: #"{"model":"gpt-4o","instructions":"Be brief.","input":"one"}"#)
            #expect(first.status == .ok)
            #expect(Self.text(first.json) == "saw 2 messages")
            let firstID = try #require(first.json["id"] as? String)
            // The second turn gets the first turn's input and output, then its own input (instructions are not carried).
            let second = try await Self.call(
                client, "/v1/responses", method: .post, body: #"{"model":"gpt-4o","previous_response_id":"\#(firstID)","input":"two"}"#)
            #expect(Self.text(second.json) == "saw 3 messages")
            #expect(second.json["previous_response_id"] as? String == firstID)
            let secondID = try #require(second.json["id"] as? String)
            let third = try await Self.call(
                client, "/v1/responses", method: .post,
                body: #"{"model":"gpt-4o","previous_response_id":"\#(secondID)","input":[{"role":"user","content":[{"type":"input_text","text":"three"}]}]}"#)
            #expect(Self.text(third.json) == "saw 5 messages")
            let messages = try #require(upstream.received.last?.json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant", "user"])
            #expect(messages.map { $0["content"] as? String } == ["one", "saw 2 messages", "two", "saw 3 messages", "three"])

            // Retrieve: the same Response object; input items: the whole conversation's input, newest first.
            let thirdID = try #require(third.json["id"] as? String)
            let retrieved = try await Self.call(client, "/v1/responses/\(thirdID)")
            #expect(retrieved.status == .ok)
            #expect(retrieved.json["id"] as? String == thirdID)
            #expect(Self.text(retrieved.json) == "saw 5 messages")
            let items = try await Self.call(client, "/v1/responses/\(thirdID)/input_items")
            let data = try #require(items.json["data"] as? [[String: Any]])
            #expect(data.count == 5)
            #expect(data.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant", "user"])
            #expect(data.allSatisfy { ($0["id"] as? String)?.isEmpty == false && $0["type"] as? String == "message" })
            #expect((data.last?["content"] as? [[String: Any]])?.first?["text"] as? String == "one")
            let ascending = try await Self.call(client, "/v1/responses/\(thirdID)/input_items?order=asc&limit=2")
            let page = try #require(ascending.json["data"] as? [[String: Any]])
            #expect(page.compactMap { ($0["content"] as? [[String: Any]])?.first?["text"] as? String } == ["one", "saw 2 messages"])
            #expect(ascending.json["has_more"] as? Bool == true)

            // Delete: gone for retrieve and for follow-ups.
            let deleted = try await Self.call(client, "/v1/responses/\(thirdID)", method: .delete)
            #expect(deleted.status == .ok)
            #expect(deleted.json["deleted"] as? Bool == true)
            #expect(try await Self.call(client, "/v1/responses/\(thirdID)").status == .notFound)
            #expect(try await Self.call(client, "/v1/responses/\(thirdID)", method: .delete).status == .notFound)
            let followUp = try await Self.call(
                client, "/v1/responses", method: .post, body: #"{"model":"gpt-4o","previous_response_id":"\#(thirdID)","input":"four"}"#)
            #expect(followUp.status == .notFound)
            #expect((followUp.json["error"] as? [String: Any])?["message"] as? String == "Response with id '\(thirdID)' not found.")
        }
    }

    @Test func storeFalseKeepsNothing() async throws {
        try await Self.withGateway { client, _ in
            let answer = try await Self.call(client, "/v1/responses", method: .post, body: #"{"model":"gpt-4o","input":"hi","store":false}"#)
            #expect(answer.status == .ok)
            #expect(answer.json["store"] as? Bool == false)
            let id = try #require(answer.json["id"] as? String)
            #expect(try await Self.call(client, "/v1/responses/\(id)").status == .notFound)
        }
    }

    @Test func streamedResponsesAreStoredBeforeTheyComplete() async throws {
        let upstream = FixtureUpstream { _ in
            FixtureUpstream.sse([
                #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"streamed"},"finish_reason":"stop"}]}"#,
                #"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"#,
            ].map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n")
        }
        try await upstream.run { port in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-responses-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let yaml = """
                server: {access_log: false, master_key: \(Self.master)}
                database: {url: "sqlite://\(directory.path)/state.db"}
                providers:
                  up: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-upstream}
                models:
                  gpt-4o: {provider: up, model: gpt-4o}
                """
            try await GatewayHarness.withStoreGateway(yaml: yaml, file: "\(directory.path)/test.yaml") { client, _ in
                let id = try await client.execute(
                    uri: "/v1/responses", method: .post, headers: Self.headers(Self.master),
                    body: ByteBuffer(string: #"{"model":"gpt-4o","input":"hi","stream":true}"#)
                ) { response in
                    let events = ResponsesEndpointTests.events(String(buffer: response.body))
                    #expect(events.last?.0 == "response.completed")
                    return (events.last?.1["response"] as? [String: Any])?["id"] as? String
                }
                let stored = try await Self.call(client, "/v1/responses/\(try #require(id))")
                #expect(stored.status == .ok)
                #expect(Self.text(stored.json) == "streamed")
                #expect(stored.json["status"] as? String == "completed")
            }
        }
    }

    @Test func anotherKeyCannotSeeOrContinueAResponse() async throws {
        try await Self.withGateway { client, _ in
            let generated = try await Self.call(client, "/key/generate", method: .post, body: "{}")
            let key = try #require(generated.json["key"] as? String)
            let mine = try await Self.call(client, "/v1/responses", method: .post, body: #"{"model":"gpt-4o","input":"secret plan"}"#, key: key)
            #expect(mine.status == .ok)
            let id = try #require(mine.json["id"] as? String)
            #expect(try await Self.call(client, "/v1/responses/\(id)", key: key).status == .ok)
            // The master key has its own scope: it sees none of the virtual key's responses.
            let other = try await Self.call(client, "/v1/responses/\(id)")
            #expect(other.status == .notFound)
            #expect((other.json["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")
            #expect(try await Self.call(client, "/v1/responses/\(id)/input_items").status == .notFound)
            #expect(try await Self.call(client, "/v1/responses/\(id)", method: .delete).status == .notFound)
            let continued = try await Self.call(
                client, "/v1/responses", method: .post, body: #"{"model":"gpt-4o","previous_response_id":"\#(id)","input":"more"}"#)
            #expect(continued.status == .notFound)
            #expect(try await Self.call(client, "/v1/responses/resp_unknown", key: key).status == .notFound)
            // Still there for its owner.
            #expect(try await Self.call(client, "/v1/responses/\(id)", key: key).status == .ok)
        }
    }

    @Test func withoutADatabaseFollowUpsAreRefusedClearly() async throws {
        try await Self.upstream.run { port in
            let yaml = """
                server: {access_log: false}
                providers:
                  up: {kind: openai, api_base: "http://127.0.0.1:\(port)/v1", api_key: sk-upstream}
                models:
                  gpt-4o: {provider: up, model: gpt-4o}
                """
            try await GatewayHarness.withGateway(yaml: yaml) { client in
                let body = ByteBuffer(string: #"{"model":"gpt-4o","previous_response_id":"resp_1","input":"hi"}"#)
                try await client.execute(uri: "/v1/responses", method: .post, headers: GatewayHarness.json, body: body) { response in
                    #expect(response.status == .badRequest)
                    let error = ResponsesEndpointTests.object(response.body)["error"] as? [String: Any]
                    #expect(error?["param"] as? String == "previous_response_id")
                }
            }
        }
    }
}
