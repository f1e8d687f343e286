extension ChatRequest {
    /// The client asked for the usage chunk at the end of a stream (`stream_options.include_usage`).
    public var asksForStreamUsage: Bool {
        object["stream_options"]?.objectValue?["include_usage"]?.boolValue == true
    }

    /// Asks the upstream for the usage chunk, keeping any other `stream_options`.
    public mutating func requestStreamUsage() {
        var options = object["stream_options"]?.objectValue ?? JSONObject()
        options["include_usage"] = .bool(true)
        set("stream_options", .object(options))
    }
}
