public import Logging
public import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif

/// The signals `serve` handles besides the graceful-shutdown ones its `ServiceGroup` owns:
/// - SIGHUP reloads the configuration (never terminates);
/// - the first SIGTERM / SIGINT turns readiness not-ready at once (the group starts the drain);
/// - a second SIGTERM / SIGINT exits at once, without waiting for the drain.
///
/// Put it first in the group's services: it is then the last one told to stop, so it still
/// sees signals while the server drains.
public struct SignalHandling: Service {
    let gateway: Gateway
    let logger: Logger

    public init(gateway: Gateway, logger: Logger) {
        self.gateway = gateway
        self.logger = logger
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigterm, .sigint)
        // Ends quietly when told to stop (a thrown cancellation would cancel the whole group).
        try? await cancelWhenGracefulShutdown {
            var stops = 0
            for await signal in signals {
                if signal == .sighup {
                    gateway.reloader.reload(trigger: "SIGHUP")
                    continue
                }
                stops += 1
                if stops == 1 {
                    gateway.beginDrain()
                    logger.info("draining: readiness is now not-ready; in-flight requests may run on up to server.drain_timeout")
                } else {
                    logger.warning("second stop signal: exiting without waiting for the drain")
                    exit(1)
                }
            }
        }
    }
}
