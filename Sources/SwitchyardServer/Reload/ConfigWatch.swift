import Foundation
public import ServiceLifecycle

/// `serve --watch`: reloads the configuration when its file's modification time or size changes
/// (polled every second, so editors that replace the file are seen too).
public struct ConfigWatch: Service {
    let file: String
    let reloader: ConfigReloader
    var interval: Duration = .seconds(1)

    public init(file: String, reloader: ConfigReloader) {
        self.file = file
        self.reloader = reloader
    }

    public func run() async throws {
        // Ends quietly when the drain starts (a thrown cancellation would cancel the whole group
        // and cut the requests the drain is waiting for).
        try? await cancelWhenGracefulShutdown {
            var last = Self.stamp(file)
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let now = Self.stamp(file)
                if now != last, now != nil {
                    last = now
                    reloader.reload(trigger: "file watch")
                }
            }
        }
    }

    private static func stamp(_ file: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(modified)/\(attributes[.size] as? Int ?? 0)"
    }
}
