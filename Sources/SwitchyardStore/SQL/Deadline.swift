import Synchronization

/// Runs `body`, giving up after `limit`: a database that does not answer (a connection pool
/// waiting forever for a server that is down) must not hold a request. The abandoned work is
/// cancelled and finishes on its own.
func withDeadline<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Once<T>()
    return try await withCheckedThrowingContinuation { continuation in
        outcome.continuation = continuation
        let work = Task {
            do { outcome.resume(.success(try await body())) } catch { outcome.resume(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            if outcome.resume(.failure(StoreError(.unavailable, "the database did not answer within \(limit)"))) { work.cancel() }
        }
    }
}

/// Resumes a continuation exactly once, from whichever side finishes first.
/// `@unchecked Sendable`: `continuation` is set before either task starts, then only read under
/// the lock by `resume`.
private final class Once<T: Sendable>: @unchecked Sendable {
    var continuation: CheckedContinuation<T, any Error>?
    private let done = Mutex(false)

    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { continuation?.resume(with: result) }
        return first
    }
}
