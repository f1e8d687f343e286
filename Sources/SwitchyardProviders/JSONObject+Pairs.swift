import SwitchyardCore

extension JSONObject {
    /// An object from a literal, keys in the order written: `JSONObject(pairs: ["type": "text"])`.
    init(pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { (key: $0.key, value: $0.value) })
    }
}
