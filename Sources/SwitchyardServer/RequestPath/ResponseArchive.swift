import Logging
import Synchronization
import SwitchyardCore
import SwitchyardStore

/// The Responses API's conversation state: stored responses, readable only by the key that
/// created them, for `database.response_retention`. Expired rows are deleted from a save, at
/// most once a minute. Without a store (no `database:`, or a key store that does not hold
/// responses) nothing is stored and `previous_response_id` answers 400.
final class ResponseArchive: Sendable {
    let store: (any ResponseStore)?
    let retention: Duration
    private let lastPrune = Mutex<Double>(0)

    init(store: (any ResponseStore)?, retention: Duration) {
        self.store = store
        self.retention = retention
    }

    /// A stored response of `scope`.
    /// - Throws: `GatewayError` 404 in OpenAI's shape when it does not exist for this key (or
    ///   expired), 503 when the database does not answer.
    func response(_ id: String, scope: String) async throws(GatewayError) -> StoredResponse {
        guard let store else { throw Self.notFound(id) }
        let found: StoredResponse?
        do {
            found = try await store.response(id: id, scope: scope, now: WallClock.now())
        } catch {
            throw Self.unavailable
        }
        guard let found else { throw Self.notFound(id) }
        return found
    }

    /// The items a follow-up to `id` starts from: the stored input items, then its output.
    func conversation(after id: String, scope: String) async throws(GatewayError) -> [JSONValue] {
        guard store != nil else {
            throw GatewayError.invalidRequest(
                "'previous_response_id' needs stored responses, and this gateway has no database", param: "previous_response_id")
        }
        let stored = try await response(id, scope: scope)
        let input = (try? JSONParser.parse(stored.input))?.arrayValue ?? []
        let output = (try? JSONParser.parse(stored.response))?.objectValue?["output"]?.arrayValue ?? []
        return input + output
    }

    /// Stores a finished response; a database failure is logged, never sent to the client (the
    /// answer was already paid for).
    func save(id: String, scope: String, model: String, input: [JSONValue], response: JSONValue, logger: Logger) async {
        guard let store else { return }
        let now = WallClock.now()
        let record = StoredResponse(
            id: id, scope: scope, model: model, input: JSONWriter.string(.array(input)), response: JSONWriter.string(response),
            createdAt: now, expiresAt: now + Double(retention.components.seconds))
        do {
            try await store.saveResponse(record)
            let prune = lastPrune.withLock { last in
                guard now - last >= 60 else { return false }
                last = now
                return true
            }
            if prune { try await store.pruneResponses(now: now) }
        } catch {
            logger.warning("response not stored", metadata: ["response.id": .string(id), "error.type": .string(String(describing: type(of: error)))])
        }
    }

    /// - Throws: `GatewayError` 404 when it does not exist for this key.
    func delete(_ id: String, scope: String) async throws(GatewayError) {
        guard let store else { throw Self.notFound(id) }
        let deleted: Bool
        do {
            deleted = try await store.deleteResponse(id: id, scope: scope)
        } catch {
            throw Self.unavailable
        }
        if !deleted { throw Self.notFound(id) }
    }

    static func notFound(_ id: String) -> GatewayError {
        GatewayError(.notFound, status: 404, message: "Response with id '\(id)' not found.")
    }

    static let unavailable = GatewayError(.serviceUnavailable, status: 503, message: "The response store is not reachable; try again.")
}

extension Principal {
    /// Whose stored responses a caller sees: a virtual key's own (by its hash), the master key's,
    /// or, without authentication, everyone's.
    var responseScope: String {
        switch kind {
        case .open: "open"
        case .master: "master"
        case .virtualKey(let entry): "key:" + entry.key.token
        }
    }
}
