import Foundation
import SwitchyardCore
import Synchronization

/// An OAuth access token shared by every request of a provider: fetched on first use, reused
/// until `margin` before it expires, then fetched again — once, however many requests are
/// waiting (they all await the same fetch). A failed fetch is not cached: the next request
/// tries again.
final class AccessTokenCache: Sendable {
    typealias Fetch = @Sendable () async throws(GatewayError) -> (token: String, lifetime: TimeInterval)

    private struct State {
        var token: String?
        var expires = Date.distantPast
        var refresh: Task<(token: String, lifetime: TimeInterval), any Error>?
    }

    private let state = Mutex(State())
    private let fetch: Fetch
    private let margin: TimeInterval
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - margin: how long before expiry a token is replaced (Google's libraries use minutes).
    ///   - now: the clock (tests move it).
    init(margin: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.margin = margin
        self.now = now
    }

    func token() async throws(GatewayError) -> String {
        let now = now()
        enum Step: Sendable {
            case cached(String)
            case wait(Task<(token: String, lifetime: TimeInterval), any Error>)
        }
        let step = state.withLock { state -> Step in
            if let token = state.token, now < state.expires.addingTimeInterval(-margin) { return .cached(token) }
            if let running = state.refresh { return .wait(running) }
            let fetch = self.fetch
            let started = Task { () async throws -> (token: String, lifetime: TimeInterval) in try await fetch() }
            state.refresh = started
            return .wait(started)
        }
        let task: Task<(token: String, lifetime: TimeInterval), any Error>
        switch step {
        case .cached(let token): return token
        case .wait(let running): task = running
        }
        do {
            let fresh = try await task.value
            state.withLock { state in
                if state.refresh == task {
                    state.token = fresh.token
                    state.expires = now.addingTimeInterval(fresh.lifetime)
                    state.refresh = nil
                }
            }
            return fresh.token
        } catch {
            state.withLock { state in if state.refresh == task { state.refresh = nil } }
            throw error as? GatewayError ?? GatewayError(.upstreamError, status: 502, message: "the access token could not be fetched")
        }
    }
}
