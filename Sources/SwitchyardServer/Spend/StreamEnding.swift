import Synchronization
import SwitchyardCore

/// A streamed answer's end, reported to `Accounting` once: by the relay after the last byte is
/// written (or when writing fails because the client went away), or — when the response body
/// never ran — when the stream is dropped. The usage comes from `UsageMeter`, which sees the
/// upstream's end a little earlier.
final class StreamEnding: Sendable {
    enum Outcome: Sendable {
        case completed
        /// Ended early with an error event: the upstream broke, a deadline passed, a drain ended it.
        case failed(GatewayError)
        case clientGone
    }

    private let accounting: Accounting
    private let state = Mutex<(usage: TokenUsage?, upstreamCompleted: Bool, finished: Bool)>((nil, false, false))

    init(_ accounting: Accounting) {
        self.accounting = accounting
    }

    /// From `UsageMeter`: the usage seen and whether the upstream stream completed.
    func upstreamEnded(usage: TokenUsage?, completed: Bool) {
        state.withLock { state in
            state.usage = usage
            state.upstreamCompleted = completed
        }
    }

    func finish(_ outcome: Outcome) {
        let ended = state.withLock { state -> (usage: TokenUsage?, completed: Bool)? in
            guard !state.finished else { return nil }
            state.finished = true
            return (state.usage, state.upstreamCompleted)
        }
        guard let ended else { return }
        switch outcome {
        case .completed where ended.completed:
            accounting.finish(usage: ended.usage, status: 200)
        case .completed:
            accounting.finish(usage: ended.usage, status: 502, errorType: "upstream_stream_error")
        case .failed(let error):
            accounting.finish(usage: ended.usage, status: error.status, errorType: error.code.description)
        case .clientGone:
            accounting.finish(usage: ended.usage, status: 502, errorType: "client_disconnected")
        }
    }

    deinit { finish(.clientGone) }
}
