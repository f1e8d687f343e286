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
        let fields = Self.fields(explicit ?? [:], metadataProvider?.get() ?? [:], metadata)
        var out: [UInt8] = []
        out.reserveCapacity(512)
        switch format {
        case .json: Self.json(time: LogTimestamp.now(), level: level, label: label, message: message.description, fields: fields, into: &out)
        case .text: Self.text(time: LogTimestamp.now(), level: level, label: label, message: message.description, fields: fields, into: &out)
        }
        writer.write(String(decoding: out, as: UTF8.self))
    }

    /// The record's metadata sorted by key; a key in an earlier source wins over a later one
    /// (explicit, then the provider's, then the logger's own). No dictionary is merged per record.
    static func fields(_ sources: Logger.Metadata...) -> [(key: String, value: Logger.Metadata.Value)] {
        var fields: [(key: String, value: Logger.Metadata.Value)] = []
        fields.reserveCapacity(sources.reduce(0) { $0 + $1.count })
        for (index, source) in sources.enumerated() {
            for (key, value) in source where !sources[..<index].contains(where: { $0[key] != nil }) {
                fields.append((key, value))
            }
        }
        fields.sort { $0.key < $1.key }
        return fields
    }

    static func json(
        time: [UInt8], level: Logger.Level, label: String, message: String, fields: [(key: String, value: Logger.Metadata.Value)],
        into out: inout [UInt8]
    ) {
        out.append(contentsOf: #"{"time":""#.utf8)
        out.append(contentsOf: time)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.rawValue.utf8)
        out.append(contentsOf: #"","logger":"#.utf8)
        JSONWriter.writeString(label, into: &out)
        out.append(contentsOf: #","message":"#.utf8)
        JSONWriter.writeString(message, into: &out)
        for field in fields {
            out.append(UInt8(ascii: ","))
            JSONWriter.writeString(field.key, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.write(jsonValue(field.value), into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func text(
        time: [UInt8], level: Logger.Level, label: String, message: String, fields: [(key: String, value: Logger.Metadata.Value)],
        into out: inout [UInt8]
    ) {
        out.append(contentsOf: time)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: level.rawValue.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: label.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: message.utf8)
        for field in fields {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: field.key.utf8)
            out.append(UInt8(ascii: "="))
            switch field.value {
            case .string(let string): out.append(contentsOf: string.utf8)
            case .stringConvertible(let value): out.append(contentsOf: value.description.utf8)
            default: out.append(contentsOf: field.value.description.utf8)
            }
        }
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
}
