import SwitchyardCore
import Testing

/// `database.schema`: whose tables keys and spend live in.
struct DatabaseSchemaConfigTests {
    static let models = "models:\n  m: {provider: p}\nproviders:\n  p: {kind: mock}\n"

    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "d.yaml", environment: [:])
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    @Test func schemaIsReadAndDefaultsToAuto() throws {
        let chosen = try ConfigLoader.load(
            yaml: Self.models + "database: {url: \"postgres://u@h/db\", schema: litellm}\n", file: "d.yaml", environment: [:])
        #expect(chosen.database.schema == .litellm)
        let plain = try ConfigLoader.load(yaml: Self.models + "database: {url: \"postgres://u@h/db\"}\n", file: "d.yaml", environment: [:])
        #expect(plain.database.schema == .auto)
        let litellm = try ConfigLoader.load(
            yaml: "model_list:\n  - model_name: m\n    litellm_params: {model: gpt-4o, mock_response: hi}\ngeneral_settings: {database_url: \"postgres://u@h/db\"}\n",
            file: "l.yaml", environment: [:])
        #expect(litellm.database.url == "postgres://u@h/db")
        #expect(litellm.database.schema == .auto, "a LiteLLM config's database is served in place when it holds LiteLLM's tables")
    }

    @Test func litellmSchemaNeedsPostgreSQL() {
        #expect(Self.errors(Self.models + "database:\n  url: sqlite://x.db\n  schema: litellm\n") == [
            "d.yaml:7:11: error: database.schema: LiteLLM's schema lives in PostgreSQL: set url to postgres://… or use schema: native"
        ])
        #expect(Self.errors(Self.models + "database: {schema: sideways}\n").first?.contains("expected one of auto, native, litellm, found 'sideways'") == true)
    }
}
