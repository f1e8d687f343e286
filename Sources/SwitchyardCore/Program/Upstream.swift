public import Logging
public import NIOCore

/// Per-request facts the engine and the adapters need.
public struct CallContext: Sendable {
    public var requestID: String
    public var logger: Logger

    public init(requestID: String, logger: Logger) {
        self.requestID = requestID
        self.logger = logger
    }
}

/// What an upstream answered.
public enum UpstreamReply: Sendable {
    /// A complete JSON body (status 200), forwarded as it came.
    case complete(body: ByteBuffer)
    /// OpenAI-format server-sent events, forwarded as they arrive.
    case stream(ByteStream)
}

/// Calls upstream providers. The engine depends on this protocol only, so it never touches
/// the network; the server wires in the real adapters.
public protocol ProviderAdapter: Sendable {
    /// Sends a chat completion to `target`.
    /// - Throws: `GatewayError` with the upstream's status and message, 502 when unreachable.
    func chat(_ request: ChatRequest, target: Target, context: CallContext) async throws(GatewayError) -> UpstreamReply
}

/// A type-erased stream of byte chunks (an upstream response body or a synthesized stream).
public struct ByteStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    public typealias Failure = any Error

    private let makeNext: @Sendable () -> (() async throws -> ByteBuffer?)

    /// Wraps any sequence of byte buffers.
    public init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == ByteBuffer {
        makeNext = {
            let box = IteratorBox(sequence.makeAsyncIterator())
            return { try await box.next() }
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextChunk: () async throws -> ByteBuffer?
        public mutating func next() async throws -> ByteBuffer? { try await nextChunk() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(nextChunk: makeNext()) }
}

/// Holds a mutable iterator behind a reference so a closure can advance it.
/// `@unchecked Sendable`: a `ByteStream` iterator is consumed by one task at a time, like any
/// async iterator; the box is never shared between concurrent callers.
private final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable where Base.Element == ByteBuffer {
    var base: Base
    init(_ base: Base) { self.base = base }
    func next() async throws -> ByteBuffer? { try await base.next() }
}

extension ByteStream {
    /// A stream of chunks already in memory (synthesized answers, tests).
    public init(chunks: [ByteBuffer]) {
        self.init(ChunkSequence(chunks: chunks))
    }
}

private struct ChunkSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<ByteBuffer>
        mutating func next() async -> ByteBuffer? { remaining.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks[...]) }
}
