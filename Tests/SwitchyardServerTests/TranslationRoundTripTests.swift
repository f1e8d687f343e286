import SeededRandom
import Foundation
import NIOCore
import SwitchyardCore
import Testing

@testable import SwitchyardProviders

/// Property-style tests: generated conversations and answers go OpenAI → Anthropic → OpenAI (and
/// the reverse) and keep their text, roles and tool calls (names, ids, argument JSON).
@Suite("format translation round trips")
struct TranslationRoundTripTests {
    static let words = ["hello", "wörld", "\"quoted\"", "tab\there", "line\nbreak", "émoji 🚀", "{json}", "back\\slash", "12.50", "null"]

    static func text(_ g: inout SplitMix64) -> String {
        (0..<Int.random(in: 1...6, using: &g)).map { _ in words.randomElement(using: &g)! }.joined(separator: " ")
    }

    static func arguments(_ g: inout SplitMix64) -> JSONValue {
        var object = JSONObject()
        for i in 0..<Int.random(in: 0...4, using: &g) {
            let value: JSONValue =
                switch Int.random(in: 0...4, using: &g) {
                case 0: .string(text(&g))
                case 1: .number(Int.random(in: -1000...1000, using: &g))
                case 2: .bool(Bool.random(using: &g))
                case 3: .array([.string(text(&g)), .null])
                default: ["nested": .string(text(&g))]
                }
            object["k\(i)"] = value
        }
        return .object(object)
    }

    struct Call: Equatable {
        var id: String
        var name: String
        var arguments: JSONValue
    }

    /// A conversation in OpenAI's format: system, then user / assistant (text or parallel tool
    /// calls followed by their results) turns.
    static func conversation(_ g: inout SplitMix64) -> (messages: [JSONValue], expected: [(role: String, text: String, calls: [Call], toolCallID: String?)]) {
        var messages: [JSONValue] = []
        var expected: [(role: String, text: String, calls: [Call], toolCallID: String?)] = []
        if Bool.random(using: &g) {
            let system = text(&g)
            messages.append(["role": "system", "content": .string(system)])
            expected.append(("system", system, [], nil))
        }
        var n = 0
        for _ in 0..<Int.random(in: 1...4, using: &g) {
            let user = text(&g)
            messages.append(["role": "user", "content": .string(user)])
            expected.append(("user", user, [], nil))
            if Bool.random(using: &g) {
                let reply = text(&g)
                messages.append(["role": "assistant", "content": .string(reply)])
                expected.append(("assistant", reply, [], nil))
            } else {
                let calls = (0..<Int.random(in: 1...3, using: &g)).map { _ -> Call in
                    n += 1
                    return Call(id: "call_\(n)", name: ["get_weather", "search", "lookup_user"].randomElement(using: &g)!, arguments: arguments(&g))
                }
                let preface = Bool.random(using: &g) ? text(&g) : ""
                messages.append([
                    "role": "assistant", "content": preface.isEmpty ? nil : .string(preface),
                    "tool_calls": .array(calls.map { ["id": .string($0.id), "type": "function", "function": ["name": .string($0.name), "arguments": .string(JSONWriter.string($0.arguments))]] }),
                ])
                expected.append(("assistant", preface, calls, nil))
                for call in calls {
                    let result = text(&g)
                    messages.append(["role": "tool", "tool_call_id": .string(call.id), "content": .string(result)])
                    expected.append(("tool", result, [], call.id))
                }
            }
        }
        return (messages, expected)
    }

    /// Reads OpenAI messages back into the comparable shape.
    static func summarize(_ messages: [JSONValue]) -> [(role: String, text: String, calls: [Call], toolCallID: String?)] {
        messages.map { message in
            let fields = message.objectValue!
            var text = ""
            switch fields["content"] {
            case .string(let value)?: text = value
            case .array(let parts)?: text = parts.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
            default: break
            }
            let calls = (fields["tool_calls"]?.arrayValue ?? []).map { call -> Call in
                let function = call.objectValue!["function"]!.objectValue!
                let arguments = (try? JSONParser.parse(function["arguments"]!.stringValue!)) ?? .null
                return Call(id: call.objectValue!["id"]!.stringValue!, name: function["name"]!.stringValue!, arguments: arguments)
            }
            return (fields["role"]!.stringValue!, text, calls, fields["tool_call_id"]?.stringValue)
        }
    }

    @Test(arguments: 1...200)
    func openAIRequestThroughAnthropicAndBack(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed))
        let (messages, expected) = Self.conversation(&g)
        let request = try ChatRequest(object: JSONObject(pairs: ["model": "m", "messages": .array(messages)]))
        let anthropic = try AnthropicRequestTranslation.translate(request, model: "claude")
        // Anthropic's own rules: roles alternate, starting with the user.
        let roles = anthropic["messages"]!.arrayValue!.map { $0.objectValue!["role"]!.stringValue! }
        #expect(roles.first == "user")
        #expect(zip(roles, roles.dropFirst()).allSatisfy { $0 != $1 }, "seed \(seed): \(roles)")
        let back = try MessagesRequestTranslation.translate(anthropic)
        let got = Self.summarize(back["messages"]!.arrayValue!)
        #expect(got.count == expected.count, "seed \(seed)")
        for (a, b) in zip(got, expected) {
            #expect(a.role == b.role, "seed \(seed)")
            #expect(a.text == b.text, "seed \(seed)")
            #expect(a.calls == b.calls, "seed \(seed)")
            #expect(a.toolCallID == b.toolCallID, "seed \(seed)")
        }
    }

    /// An assistant answer: text and/or parallel tool calls.
    static func answer(_ g: inout SplitMix64) -> (text: String, calls: [Call]) {
        let text = Bool.random(using: &g) ? Self.text(&g) : ""
        let count = text.isEmpty ? Int.random(in: 1...3, using: &g) : Int.random(in: 0...3, using: &g)
        let calls = (0..<count).map { i in Call(id: "toolu_\(i)_\(g.next() % 1000)", name: "tool_\(i)", arguments: arguments(&g)) }
        return (text, calls)
    }

    /// The answer as an Anthropic message (10 input and 20 output tokens).
    static func anthropicMessage(text: String, calls: [Call]) -> JSONObject {
        var content: [JSONValue] = text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
        content += calls.map { ["type": "tool_use", "id": .string($0.id), "name": .string($0.name), "input": $0.arguments] }
        return JSONObject(pairs: [
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude", "content": .array(content),
            "stop_reason": calls.isEmpty ? "end_turn" : "tool_use", "usage": ["input_tokens": 10, "output_tokens": 20],
        ])
    }

    @Test(arguments: 1...100)
    func anthropicAnswerThroughOpenAIAndBack(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 31)
        let (text, calls) = Self.answer(&g)
        let message = Self.anthropicMessage(text: text, calls: calls)
        let content = message["content"]!
        let completion = AnthropicResponseTranslation.chatCompletion(message, model: "claude").objectValue!
        let back = MessagesResponseTranslation.message(completion, model: "client").objectValue!
        #expect(back["content"] == content, "seed \(seed)")
        #expect(back["stop_reason"] == message["stop_reason"])
        #expect(back["usage"] == ["input_tokens": 10, "output_tokens": 20])
    }

    /// OpenAI chunks for an answer, with text and arguments cut at random places.
    static func openAIChunks(text: String, calls: [Call], _ g: inout SplitMix64) -> [String] {
        func pieces(_ s: String) -> [String] {
            var out: [String] = []
            var rest = Substring(s)
            while !rest.isEmpty {
                let n = Int.random(in: 1...max(1, rest.count), using: &g)
                out.append(String(rest.prefix(n)))
                rest = rest.dropFirst(n)
            }
            return out
        }
        func chunk(_ delta: JSONValue, finish: JSONValue = nil) -> String {
            "data: " + JSONWriter.string(["id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [["index": 0, "delta": delta, "finish_reason": finish]]]) + "\n\n"
        }
        var events = [chunk(["role": "assistant", "content": ""])]
        events += pieces(text).map { chunk(["content": .string($0)]) }
        for (i, call) in calls.enumerated() {
            events.append(chunk(["tool_calls": [["index": .number(i), "id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": ""]]]]))
            for piece in pieces(JSONWriter.string(call.arguments)) {
                events.append(chunk(["tool_calls": [["index": .number(i), "function": ["arguments": .string(piece)]]]]))
            }
        }
        events.append(chunk([:], finish: calls.isEmpty ? "stop" : "tool_calls"))
        events.append("data: " + JSONWriter.string(["id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [], "usage": ["prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12]]) + "\n\n")
        events.append("data: [DONE]\n\n")
        return events
    }

    /// Feeds `bytes` to a translator in random-sized pieces (events split across reads).
    static func run<T: StreamTranslator>(_ translator: T, _ bytes: [UInt8], _ g: inout SplitMix64) throws -> [UInt8] {
        var translator = translator
        var out: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let n = min(bytes.count - offset, Int.random(in: 1...64, using: &g))
            out += try translator.consume(ByteBuffer(bytes: bytes[offset..<offset + n]))
            offset += n
        }
        out += try translator.finish()
        return out
    }

    @Test(arguments: 1...100)
    func streamThroughAnthropicEventsAndBack(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 977)
        let (text, calls) = Self.answer(&g)
        let openAI = Array(Self.openAIChunks(text: text, calls: calls, &g).joined().utf8)
        let anthropic = try Self.run(MessagesStreamTranslator(model: "client"), openAI, &g)
        let back = try Self.run(AnthropicStreamTranslator(model: "claude", includeUsage: true, provider: "p"), anthropic, &g)
        let events = String(decoding: back, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.last == "data: [DONE]", "seed \(seed)")
        var gotText = ""
        var gotCalls: [Int: (id: String, name: String, arguments: String)] = [:]
        var finish: String?
        var usage: JSONObject?
        for event in events.dropLast() {
            let chunk = try JSONParser.parse(String(event.dropFirst(6))).objectValue!
            if let u = chunk["usage"]?.objectValue { usage = u }
            guard let choice = chunk["choices"]?.arrayValue?.first?.objectValue else { continue }
            if let f = choice["finish_reason"]?.stringValue { finish = f }
            let delta = choice["delta"]!.objectValue!
            gotText += delta["content"]?.stringValue ?? ""
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let fields = call.objectValue!
                let index = fields["index"]!.intValue!
                var entry = gotCalls[index] ?? ("", "", "")
                if let id = fields["id"]?.stringValue { entry.id = id }
                if let name = fields["function"]?.objectValue?["name"]?.stringValue { entry.name = name }
                entry.arguments += fields["function"]?.objectValue?["arguments"]?.stringValue ?? ""
                gotCalls[index] = entry
            }
        }
        #expect(gotText == text, "seed \(seed)")
        #expect(gotCalls.count == calls.count, "seed \(seed)")
        for (i, call) in calls.enumerated() {
            #expect(gotCalls[i]?.id == call.id, "seed \(seed)")
            #expect(gotCalls[i]?.name == call.name, "seed \(seed)")
            #expect((try? JSONParser.parse(gotCalls[i]?.arguments ?? "")) == call.arguments, "seed \(seed)")
        }
        #expect(finish == (calls.isEmpty ? "stop" : "tool_calls"), "seed \(seed)")
        #expect(usage?["prompt_tokens"] == .number(5) && usage?["completion_tokens"] == .number(7), "seed \(seed)")
    }

    @Test func anthropicStreamErrorAfterTheFirstEventEndsWithAnOpenAIErrorEvent() throws {
        var translator = AnthropicStreamTranslator(model: "claude", includeUsage: false, provider: "p")
        let first = try translator.consume(ByteBuffer(string: AnthropicFixtures.toolStreamEvents[0] + "\n\n"))
        #expect(String(decoding: first, as: UTF8.self).contains("\"role\":\"assistant\""))
        let error = try translator.consume(ByteBuffer(string: AnthropicFixtures.streamError))
        let text = String(decoding: error, as: UTF8.self)
        #expect(text.hasPrefix("data: {\"error\""))
        #expect(text.contains("Overloaded"))
        #expect(try translator.finish().isEmpty)
    }

    @Test func anthropicStreamCutShortIsAnError() throws {
        var translator = AnthropicStreamTranslator(model: "claude", includeUsage: false, provider: "p")
        _ = try translator.consume(ByteBuffer(string: AnthropicFixtures.toolStreamEvents[0] + "\n\n"))
        #expect(throws: GatewayError.self) { try translator.finish() }
    }

    @Test func imagesAndToolChoicesTranslate() throws {
        let url = try AnthropicRequestTranslation.image(url: "https://example.com/cat.jpg", path: "p")
        #expect(url == ["type": "image", "source": ["type": "url", "url": "https://example.com/cat.jpg"]])
        #expect(throws: GatewayError.self) { try AnthropicRequestTranslation.image(url: "data:image/png,raw", path: "p") }
        #expect(try AnthropicRequestTranslation.toolChoice(nil, parallel: nil) == nil)
        #expect(try AnthropicRequestTranslation.toolChoice("none", parallel: nil) == ["type": "none"])
        #expect(try AnthropicRequestTranslation.toolChoice(["type": "function", "function": ["name": "f"]], parallel: nil) == ["type": "tool", "name": "f"])
        #expect(try AnthropicRequestTranslation.toolChoice(nil, parallel: false) == ["type": "auto", "disable_parallel_tool_use": true])
        let bad = try ChatRequest(object: JSONObject(pairs: ["model": "m", "messages": [
            ["role": "assistant", "tool_calls": [["id": "c", "type": "function", "function": ["name": "f", "arguments": "{not json"]]]],
        ]]))
        #expect(throws: GatewayError.self) { try AnthropicRequestTranslation.translate(bad, model: "c") }
    }

    @Test func sseParserHandlesSplitsCRLFAndMultiLineData() {
        var parser = SSEEventParser()
        var events = parser.feed(ByteBuffer(string: "event: a\r\ndata: {\"x\":"))
        #expect(events.isEmpty)
        events = parser.feed(ByteBuffer(string: "1}\r\n\r\n: comment\n\ndata: l1\ndata: l2\n"))
        #expect(events == [.init(name: "a", data: Array(#"{"x":1}"#.utf8))])
        events = parser.feed(ByteBuffer(string: "\n"))
        #expect(events == [.init(name: nil, data: Array("l1\nl2".utf8))])
        #expect(parser.feed(ByteBuffer(string: "data: tail")).isEmpty)
        #expect(parser.finish() == [.init(name: nil, data: Array("tail".utf8))])
    }
}
