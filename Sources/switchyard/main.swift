import ArgumentParser
import NIOCore
import NIOPosix

// Run Swift Concurrency's tasks on NIO's event loops: request handlers and upstream I/O then
// share threads, with no hop between the cooperative pool and the event loops per request.
// This must happen before any task is created, hence a top-level `main.swift` rather than
// `@main` (whose async entry point has already started the runtime).
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

/// Runs the parsed command; an `async` function so the async `run()` is the one chosen.
func execute(_ command: any ParsableCommand) async throws {
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        var syncCommand = command
        try syncCommand.run()
    }
}

do {
    try await execute(try Switchyard.parseAsRoot())
} catch {
    Switchyard.exit(withError: error)
}
