import Foundation
import SwitchyardCore

/// Lists and objects kept as JSON text in a column (`models`, `metadata`, `aliases`). Reading
/// is forgiving: a value that is not the expected JSON reads as empty rather than failing the row.
enum JSONColumn {
    static func text(_ object: JSONObject) -> String { JSONWriter.string(.object(object)) }
    static func text(list: [String]) -> String { JSONWriter.string(.array(list.map { .string($0) })) }
    static func text(map: [String: String]) -> String {
        JSONWriter.string(.object(JSONObject(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
    }

    static func list(_ text: String?) -> [String] {
        guard let text, let value = try? JSONParser.parse(text) else { return [] }
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    static func object(_ text: String?) -> JSONObject {
        guard let text, let value = try? JSONParser.parse(text) else { return JSONObject() }
        return value.objectValue ?? JSONObject()
    }

    static func map(_ text: String?) -> [String: String] {
        var out: [String: String] = [:]
        for field in object(text) { if let value = field.value.stringValue { out[field.key] = value } }
        return out
    }

    /// `text` with any NUL replaced: log rows are stored with what they can hold rather than fail.
    static func storable(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : text
    }

    /// Neither SQLite's text columns nor PostgreSQL's can hold a NUL character; refuse it
    /// clearly instead of storing a shortened value.
    static func checkText(_ values: [String?]) throws(StoreError) {
        for case let value? in values where value.utf8.contains(0) {
            throw StoreError(.invalidValue, "ids and aliases must not contain NUL characters")
        }
    }
}
