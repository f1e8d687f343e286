import Foundation
import NIOCore
import SeededRandom
import SwitchyardCore
import Testing

@testable import SwitchyardProviders

/// Property-style tests for Gemini: generated OpenAI conversations keep their order, text, roles
/// and tool calls (names, argument JSON; results named after their call) in Gemini's request, and
/// generated Gemini answers keep text and calls in OpenAI's.
@Suite("Gemini translation")
struct GeminiTranslationTests {

    enum Item: Equatable {
        case text(role: String, String)
        case call(name: String, args: JSONValue)
        case result(name: String, response: JSONValue)
    }

    @Test(arguments: 1...200)
    func openAIConversationMapsOntoGeminiContents(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 7919)
        let (messages, expected) = TranslationRoundTripTests.conversation(&g)
        let request = try ChatRequest(object: JSONObject(pairs: ["model": "m", "messages": .array(messages)]))
        let gemini = try GeminiRequestTranslation.translate(request)

        var names: [String: String] = [:]
        var want: [Item] = []
        var system: String?
        for message in expected {
            switch message.role {
            case "system": system = message.text
            case "user": want.append(.text(role: "user", message.text))
            case "assistant":
                if !message.text.isEmpty { want.append(.text(role: "model", message.text)) }
                for call in message.calls {
                    names[call.id] = call.name
                    want.append(.call(name: call.name, args: call.arguments))
                }
            default:
                let response: JSONValue =
                    if case .object(let object)? = try? JSONParser.parse(message.text) { .object(object) } else { ["content": .string(message.text)] }
                want.append(.result(name: names[message.toolCallID ?? ""] ?? "?", response: response))
            }
        }

        var got: [Item] = []
        let contents = gemini["contents"]!.arrayValue!
        let roles = contents.map { $0.objectValue!["role"]!.stringValue! }
        #expect(zip(roles, roles.dropFirst()).allSatisfy { $0 != $1 }, "seed \(seed): turns alternate")
        for content in contents {
            let role = content.objectValue!["role"]!.stringValue!
            for part in content.objectValue!["parts"]!.arrayValue! {
                let fields = part.objectValue!
                if let text = fields["text"]?.stringValue { got.append(.text(role: role, text)) }
                if let call = fields["functionCall"]?.objectValue { got.append(.call(name: call["name"]!.stringValue!, args: call["args"]!)) }
                if let result = fields["functionResponse"]?.objectValue {
                    got.append(.result(name: result["name"]!.stringValue!, response: result["response"]!))
                }
            }
        }
        #expect(got == want, "seed \(seed)")
        #expect(gemini["systemInstruction"]?.objectValue?["parts"]?.arrayValue?.first?.objectValue?["text"]?.stringValue == system, "seed \(seed)")
    }

    @Test(arguments: 1...100)
    func geminiAnswerMapsOntoOpenAI(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 104_729)
        let (text, calls) = TranslationRoundTripTests.answer(&g)
        var parts: [JSONValue] = text.isEmpty ? [] : [["text": .string(text)]]
        parts += calls.map { ["functionCall": ["name": .string($0.name), "args": $0.arguments]] }
        let response = JSONObject(pairs: [
            "candidates": [["content": ["role": "model", "parts": .array(parts)], "finishReason": "STOP", "index": 0]],
            "usageMetadata": ["promptTokenCount": 3, "candidatesTokenCount": 4, "totalTokenCount": 7],
        ])
        let completion = try GeminiResponseTranslation.chatCompletion(response, model: "gemini", provider: "p").objectValue!
        let choice = completion["choices"]!.arrayValue![0].objectValue!
        let message = choice["message"]!.objectValue!
        #expect((message["content"]?.stringValue ?? "") == text, "seed \(seed)")
        let gotCalls = (message["tool_calls"]?.arrayValue ?? []).map { call -> (String, JSONValue) in
            let function = call.objectValue!["function"]!.objectValue!
            return (function["name"]!.stringValue!, try! JSONParser.parse(function["arguments"]!.stringValue!))
        }
        #expect(gotCalls.map(\.0) == calls.map(\.name), "seed \(seed)")
        #expect(gotCalls.map(\.1) == calls.map(\.arguments), "seed \(seed)")
        #expect(choice["finish_reason"] == (calls.isEmpty ? "stop" : "tool_calls"))
        #expect(completion["usage"] == ["prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7])
    }
}
