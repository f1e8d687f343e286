import Testing

@testable import SwitchyardCore

@Suite("conditions")
struct ConditionTests {
    /// Whether `when` holds for a request: the pipeline routes when it does, rejects when not.
    func holds(
        _ when: String, model: String = "ok", content: String = "hello", extra: [(String, JSONValue)] = [],
        headers: [(name: String, value: String)] = [], key: String? = nil
    ) async throws -> Bool {
        let program = try PipelineFixture.program("""
            pipelines:
              main:
                - match:
                    - when: \(when)
                      route: ok
                    - else: [{reject: {status: 418, message: no}}]
            """)
        let result = await PipelineFixture.run(
            program, PipelineFixture.request(model: model, content: content, extra: extra), headers: headers, key: key)
        return result.succeeded
    }

    @Test func scalarEqualityAndGlob() async throws {
        #expect(try await holds("{model: ok}"))
        #expect(try await !holds("{model: ok2}"))
        #expect(try await holds(#"{model: "o*"}"#))
        #expect(try await !holds(#"{model: "x*"}"#))
        #expect(try await holds(#"{model: {glob: "?k"}}"#))
    }

    @Test func comparisonOperators() async throws {
        let extra: [(String, JSONValue)] = [("temperature", .number("0.7")), ("max_tokens", 100)]
        #expect(try await holds("{param.temperature: {gt: 0.5}}", extra: extra))
        #expect(try await !holds("{param.temperature: {gt: 0.7}}", extra: extra))
        #expect(try await holds("{param.temperature: {gte: 0.7}}", extra: extra))
        #expect(try await holds("{param.max_tokens: {lt: 101, lte: 100}}", extra: extra))
        #expect(try await !holds("{param.max_tokens: {lt: 100}}", extra: extra))
        #expect(try await holds("{param.max_tokens: {eq: 100}}", extra: extra))
        #expect(try await holds("{param.max_tokens: {ne: 5}}", extra: extra))
        #expect(try await !holds("{param.missing: {gt: 0}}", extra: extra))
    }

    @Test func membershipAndExistence() async throws {
        let extra: [(String, JSONValue)] = [("metadata", ["plan": "free", "tier": 2]), ("user", "u-1")]
        #expect(try await holds("{metadata.plan: {in: [free, trial]}}", extra: extra))
        #expect(try await holds("{metadata.plan: [free, trial]}", extra: extra))
        #expect(try await !holds("{metadata.plan: {not_in: [free, trial]}}", extra: extra))
        #expect(try await holds("{metadata.tier: {in: [1, 2]}}", extra: extra))
        #expect(try await holds("{user: {exists: true}}", extra: extra))
        #expect(try await holds("{metadata.nothing: {exists: false}}", extra: extra))
        #expect(try await !holds("{user: {exists: true}}"))
    }

    @Test func portkeyDollarSpellings() async throws {
        let extra: [(String, JSONValue)] = [("metadata", ["plan": "pro"])]
        #expect(try await holds(#"{metadata.plan: {$eq: pro}}"#, extra: extra))
        #expect(try await holds(#"{metadata.plan: {$in: [pro, team]}}"#, extra: extra))
        #expect(try await holds(#"{metadata.plan: {$nin: [free]}}"#, extra: extra))
        #expect(try await holds(#"{$or: [{model: nope}, {metadata.plan: {$ne: free}}]}"#, extra: extra))
        #expect(try await holds(#"{$and: [{model: ok}, {$not: {metadata.plan: free}}]}"#, extra: extra))
    }

    @Test func combinators() async throws {
        #expect(try await holds("{any: [{model: nope}, {model: ok}]}"))
        #expect(try await !holds("{all: [{model: nope}, {model: ok}]}"))
        #expect(try await holds("{not: {model: nope}}"))
        #expect(try await !holds("{model: ok, stream: true}"))
    }

    @Test func headersUserKeyAndStream() async throws {
        #expect(try await holds("{header.x-team: research}", headers: [("X-Team", "research")]))
        #expect(try await !holds("{header.x-team: research}", headers: [("x-team", "sales")]))
        #expect(try await holds("{key: master}", key: "master"))
        #expect(try await !holds("{key: master}"))
        #expect(try await holds("{stream: true}", extra: [("stream", true)]))
        #expect(try await holds("{stream: false}"))
    }

    @Test func tokensMessagesAndContent() async throws {
        let long = String(repeating: "word ", count: 400)  // 2,000 characters ≈ 500 tokens
        #expect(try await holds("{tokens: {gt: 400, lt: 600}}", content: long))
        #expect(try await !holds("{tokens: {gt: 400}}", content: "short"))
        #expect(try await holds("{messages: 1}"))
        #expect(try await holds(#"{content: "*refund*"}"#, content: "I want a refund now"))
    }

    @Test func regexIsPCRE2() async throws {
        #expect(try await holds(#"{content: {regex: '(?i)\b(refund|chargeback)\b'}}"#, content: "A CHARGEBACK please"))
        #expect(try await !holds(#"{content: {regex: '(?i)\b(refund|chargeback)\b'}}"#, content: "refunds are words"))
        #expect(try await holds(#"{user: {regex: '^u-\d+$'}}"#, extra: [("user", "u-42")]))
    }

    @Test func capabilities() async throws {
        let tools: [(String, JSONValue)] = [("tools", [["type": "function", "function": ["name": "f"]]])]
        let schema: [(String, JSONValue)] = [("response_format", ["type": "json_schema", "json_schema": ["name": "x"]])]
        #expect(try await holds("{has: tools}", extra: tools))
        #expect(try await !holds("{has: tools}"))
        #expect(try await holds("{has: json_schema}", extra: schema))
        #expect(try await !holds("{has: [tools, json_schema]}", extra: tools))
        let image: JSONValue = ["role": "user", "content": [["type": "text", "text": "what is this"], ["type": "image_url", "image_url": ["url": "data:"]]]]
        #expect(try await holds("{has: images}", extra: [("messages", [image])]))
        #expect(try await !holds("{has: images}"))
    }

    @Test func globMatcher() {
        #expect(Glob("gpt-4*").matches("gpt-4o"))
        #expect(!Glob("gpt-4*").matches("gpt-3.5"))
        #expect(Glob("*mini").matches("gpt-4o-mini"))
        #expect(Glob("a*b*c").matches("aXXbYYc"))
        #expect(!Glob("a*b*c").matches("aXXcYYb"))
        #expect(Glob("exact").matches("exact"))
        #expect(!Glob("exact").matches("exactly"))
        #expect(Glob("g?t").matches("got"))
        #expect(Glob("*").matches(""))
    }
}
