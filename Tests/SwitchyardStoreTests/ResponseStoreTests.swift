import Foundation
import Logging
import SwitchyardStore
import Testing

/// `ResponseStore` on each backend: responses round-trip, stay inside their scope, expire and
/// are pruned.
@Suite("Stored responses")
struct ResponseStoreTests {
    static func stored(_ id: String, scope: String = "key:abc", createdAt: Double = 1_000, expiresAt: Double? = 2_000) -> StoredResponse {
        StoredResponse(
            id: id, scope: scope, model: "gpt-4o", input: #"[{"role":"user","content":"héllo \u0000 🚀"}]"#,
            response: #"{"id":"\#(id)","object":"response","output":[]}"#, createdAt: createdAt, expiresAt: expiresAt)
    }

    static func open(_ backend: StoreBackend) async throws -> any ResponseStore & GatewayStore {
        let (store, _) = try await backend.open()
        return try #require(store as? any ResponseStore & GatewayStore)
    }

    @Test("a response round-trips and is visible only in its scope", arguments: StoreBackend.available)
    func roundTripAndScope(backend: StoreBackend) async throws {
        let store = try await Self.open(backend)
        defer { Task { await store.close() } }
        let response = Self.stored("resp_1")
        try await store.saveResponse(response)
        #expect(try await store.response(id: "resp_1", scope: "key:abc", now: 1_500) == response)
        #expect(try await store.response(id: "resp_1", scope: "master", now: 1_500) == nil)
        #expect(try await store.response(id: "resp_2", scope: "key:abc", now: 1_500) == nil)
        #expect(try await store.deleteResponse(id: "resp_1", scope: "master") == false)
        #expect(try await store.deleteResponse(id: "resp_1", scope: "key:abc") == true)
        #expect(try await store.response(id: "resp_1", scope: "key:abc", now: 1_500) == nil)
        #expect(try await store.deleteResponse(id: "resp_1", scope: "key:abc") == false)
    }

    @Test("expired responses are unreadable, then pruned; unexpiring ones stay", arguments: StoreBackend.available)
    func expiry(backend: StoreBackend) async throws {
        let store = try await Self.open(backend)
        defer { Task { await store.close() } }
        try await store.saveResponse(Self.stored("resp_old", expiresAt: 2_000))
        try await store.saveResponse(Self.stored("resp_new", expiresAt: 5_000))
        try await store.saveResponse(Self.stored("resp_kept", expiresAt: nil))
        #expect(try await store.response(id: "resp_old", scope: "key:abc", now: 2_000) == nil)
        #expect(try await store.response(id: "resp_old", scope: "key:abc", now: 1_999) != nil)
        #expect(try await store.pruneResponses(now: 3_000) == 1)
        #expect(try await store.response(id: "resp_old", scope: "key:abc", now: 1_999) == nil)
        #expect(try await store.response(id: "resp_new", scope: "key:abc", now: 3_000) != nil)
        #expect(try await store.response(id: "resp_kept", scope: "key:abc", now: 1e12) != nil)
    }

    @Test("a second save of one id fails instead of overwriting", arguments: StoreBackend.available)
    func duplicateID(backend: StoreBackend) async throws {
        let store = try await Self.open(backend)
        defer { Task { await store.close() } }
        try await store.saveResponse(Self.stored("resp_dup"))
        await #expect(throws: (any Error).self) { try await store.saveResponse(Self.stored("resp_dup", scope: "master")) }
        #expect(try await store.response(id: "resp_dup", scope: "key:abc", now: 1_500) != nil)
    }
}
