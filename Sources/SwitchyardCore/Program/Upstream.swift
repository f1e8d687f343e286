public import Logging
public import NIOCore

/// Per-request facts the engine and the adapters need.
public struct CallContext: Sendable {
    public var requestID: String
    public var logger: Logger
    /// The caller's HTTP headers (for `header.X` conditions, splits and limits).
    public var headers: RequestHeaders
    /// The alias of the API key the caller authenticated with (`key` in conditions).
    public var keyAlias: String?
    /// The virtual key's team and metadata (`team`, `key.metadata.X` in conditions).
    public var caller = Caller()
    /// Waits between retries; tests replace it to observe backoff without waiting.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Records each stage's decision in `ExecutionResult.decisions` (for `explain`).
    public var recordsDecisions: Bool
    /// What the request itself asks of retries and fallbacks (LiteLLM's body switches).
    public var overrides = RequestOverrides()
    /// Told when scrub, retry and fallback stages begin and end (tracing); nil: nobody is.
    public var stages: (any StageObserver)?

    public init(
        requestID: String, logger: Logger, headers: RequestHeaders = .none, keyAlias: String? = nil,
        recordsDecisions: Bool = false,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.requestID = requestID
        self.logger = logger
        self.headers = headers
        self.keyAlias = keyAlias
        self.recordsDecisions = recordsDecisions
        self.sleep = sleep
    }
}

/// What pipelines may know of a virtual key besides its alias.
public struct Caller: Sendable {
    /// The key's team id.
    public var team: String?
    /// The key's own metadata (not the request's `metadata`).
    public var keyMetadata = JSONObject()

    public init(team: String? = nil, keyMetadata: JSONObject = JSONObject()) {
        self.team = team
        self.keyMetadata = keyMetadata
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

extension ByteStream {
    /// A stream that yields `first` (already read from `iterator`), then the rest of `iterator`,
    /// releasing `leases` when it ends, fails, or is abandoned by the client.
    init(first: ByteBuffer?, rest iterator: ByteStream.AsyncIterator, leases: [Lease]) {
        self.init(ResumedSequence(state: ResumedState(first: first, iterator: iterator, leases: leases)))
    }

    /// This stream, releasing `lease` when it ends.
    func holding(_ lease: Lease) -> ByteStream {
        ByteStream(first: nil, rest: makeAsyncIterator(), leases: [lease])
    }
}

private struct ResumedSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let state: ResumedState

    struct AsyncIterator: AsyncIteratorProtocol {
        let state: ResumedState
        mutating func next() async throws -> ByteBuffer? { try await state.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(state: state) }
}

/// `@unchecked Sendable`: like any async iterator it is consumed by one task at a time (the
/// relay loop); it is never advanced concurrently.
private final class ResumedState: @unchecked Sendable {
    var first: ByteBuffer?
    var iterator: ByteStream.AsyncIterator
    let leases: [Lease]

    init(first: ByteBuffer?, iterator: ByteStream.AsyncIterator, leases: [Lease]) {
        self.first = first
        self.iterator = iterator
        self.leases = leases
    }

    func next() async throws -> ByteBuffer? {
        if let chunk = first {
            first = nil
            return chunk
        }
        do {
            let chunk = try await iterator.next()
            if chunk == nil { for lease in leases { lease.release() } }
            return chunk
        } catch {
            for lease in leases { lease.release() }
            throw error
        }
    }
}

extension UpstreamReply {
    /// Keeps `lease` until the reply is fully delivered (a complete body releases it now).
    func holding(_ lease: Lease) -> UpstreamReply {
        switch self {
        case .complete:
            lease.release()
            return self
        case .stream(let stream):
            return .stream(stream.holding(lease))
        }
    }
}
