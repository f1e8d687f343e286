import Foundation
public import Logging
public import SwitchyardCore

/// The log handler `serve` bootstraps: one line per record, as text or as a JSON object, handed
/// to a `LogLineWriter` (so logging never waits for stdout).
///
/// A JSON line holds `time` (RFC 3339, UTC, milliseconds), `level`, `logger` (the label),
/// `message`, then the metadata with its dotted keys (`request.id`, `http.status`, …), sorted.
/// Integer and floating-point metadata are JSON numbers, booleans are booleans.
public struct GatewayLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: ServerSettings.LogFormat
    let writer: LogLineWriter

    public init(label: String, format: ServerSettings.LogFormat, writer: LogLineWriter) {
        self.label = label
        self.format = format
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit { all.merge(explicit) { $1 } }
        let time = Self.timestamp()
        switch format {
        case .json: writer.write(Self.json(time: time, level: level, label: label, message: message.description, metadata: all))
        case .text: writer.write(Self.text(time: time, level: level, label: label, message: message.description, metadata: all))
        }
    }

    static func json(time: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var fields: [(key: String, value: JSONValue)] = [
            ("time", .string(time)), ("level", .string(level.rawValue)), ("logger", .string(label)), ("message", .string(message)),
        ]
        for key in metadata.keys.sorted() { fields.append((key, jsonValue(metadata[key]!))) }
        return JSONWriter.string(.object(JSONObject(fields)))
    }

    static func text(time: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(time) \(level) \(label): \(message)"
        for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
        return line
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string):
            return .string(string)
        case .stringConvertible(let value):
            switch value {
            case let bool as Bool: return .bool(bool)
            case let int as Int: return .number(String(int))
            case let double as Double where double.isFinite: return .number(String(double))
            default: return .string(value.description)
            }
        case .array(let values):
            return .array(values.map(jsonValue))
        case .dictionary(let values):
            return .object(JSONObject(values.keys.sorted().map { ($0, jsonValue(values[$0]!)) }))
        }
    }

    /// `2026-12-01T15:56:00.123Z`.
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
