import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// A 200 answer whose body is still to be read. Its `body` fails with a `GatewayError` (a
/// `timeout` when the idle or total deadline passed, `upstream_unreachable` when the connection
/// broke) instead of the HTTP client's own errors, so the engine and the relay classify failures
/// by type.
struct UpstreamResponse: Sendable {
    let response: HTTPClientResponse
    let provider: String
    /// When the whole call must be over (`total_timeout`), checked as each chunk arrives.
    let deadline: ContinuousClock.Instant

    var headers: HTTPHeaders { response.headers }

    var body: ByteStream {
        ByteStream(UpstreamBody(body: response.body, provider: provider, deadline: deadline))
    }
}

private struct UpstreamBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: HTTPClientResponse.Body
    let provider: String
    let deadline: ContinuousClock.Instant

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator
        let provider: String
        let deadline: ContinuousClock.Instant

        mutating func next() async throws -> ByteBuffer? {
            let chunk: ByteBuffer?
            do {
                chunk = try await base.next()
            } catch {
                throw UpstreamFailure.gatewayError(for: error, provider: provider)
            }
            // Dropping the iterator (by throwing) cancels the request and closes its connection.
            if chunk != nil, ContinuousClock.now > deadline {
                throw UpstreamFailure.timedOut(provider, phase: "within its total deadline")
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: body.makeAsyncIterator(), provider: provider, deadline: deadline)
    }
}
