import Foundation
import NIOCore
import SeededRandom
import SwitchyardCore
import Testing

@testable import SwitchyardProviders

/// Property-style tests: generated Responses conversations (text, images, tool calls and their
/// results) go Responses → chat → Anthropic → chat and keep their meaning; generated answers go
/// provider → chat → Response and back into the next request; streams go chat chunks (direct, or
/// from an Anthropic stream) → Responses events, read the way the openai SDK's stream helper does.
@Suite("Responses translation round trips")
struct ResponsesRoundTripTests {
    typealias Call = TranslationRoundTripTests.Call

    /// One chat message, comparable across formats.
    struct Turn: Equatable {
        var role: String
        var text: String
        var images: [String] = []
        var calls: [Call] = []
        var toolCallID: String?
    }

    static let images = ["data:image/png;base64,iVBORw0KGgo=", "data:image/jpeg;base64,/9j/4AAQSkZJRg=="]

    /// A Responses request body and the chat turns it means.
    static func conversation(_ g: inout SplitMix64) -> (request: JSONObject, expected: [Turn]) {
        var items: [JSONValue] = []
        var expected: [Turn] = []
        var request = JSONObject(pairs: ["model": "m"])
        if Bool.random(using: &g) {
            let instructions = TranslationRoundTripTests.text(&g)
            request["instructions"] = .string(instructions)
            expected.append(Turn(role: "system", text: instructions))
        }
        var n = 0
        for _ in 0..<Int.random(in: 1...4, using: &g) {
            let text = TranslationRoundTripTests.text(&g)
            if Bool.random(using: &g) {
                items.append(["role": "user", "content": .string(text)])
                expected.append(Turn(role: "user", text: text))
            } else {
                let image = images.randomElement(using: &g)!
                items.append(["type": "message", "role": "user", "content": [["type": "input_text", "text": .string(text)], ["type": "input_image", "image_url": .string(image)]]])
                expected.append(Turn(role: "user", text: text, images: [image]))
            }
            if Bool.random(using: &g) {
                let reply = TranslationRoundTripTests.text(&g)
                items.append(["type": "message", "role": "assistant", "content": [["type": "output_text", "text": .string(reply), "annotations": []]]])
                expected.append(Turn(role: "assistant", text: reply))
            } else {
                let preface = Bool.random(using: &g) ? TranslationRoundTripTests.text(&g) : ""
                if !preface.isEmpty { items.append(["role": "assistant", "content": .string(preface)]) }
                let calls = (0..<Int.random(in: 1...3, using: &g)).map { _ -> Call in
                    n += 1
                    return Call(id: "call_\(n)", name: ["get_weather", "search"].randomElement(using: &g)!, arguments: TranslationRoundTripTests.arguments(&g))
                }
                for call in calls {
                    items.append(["type": "function_call", "call_id": .string(call.id), "name": .string(call.name), "arguments": .string(JSONWriter.string(call.arguments))])
                }
                expected.append(Turn(role: "assistant", text: preface, calls: calls))
                for call in calls {
                    let result = TranslationRoundTripTests.text(&g)
                    items.append(["type": "function_call_output", "call_id": .string(call.id), "output": .string(result)])
                    expected.append(Turn(role: "tool", text: result, toolCallID: call.id))
                }
            }
        }
        request["input"] = .array(items)
        return (request, expected)
    }

    /// Reads chat messages back into turns.
    static func turns(_ messages: [JSONValue]) -> [Turn] {
        messages.map { message in
            let fields = message.objectValue!
            var turn = Turn(role: fields["role"]!.stringValue!, text: "", toolCallID: fields["tool_call_id"]?.stringValue)
            switch fields["content"] {
            case .string(let value)?: turn.text = value
            case .array(let parts)?:
                turn.text = parts.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
                turn.images = parts.compactMap { $0.objectValue?["image_url"]?.objectValue?["url"]?.stringValue }
            default: break
            }
            turn.calls = (fields["tool_calls"]?.arrayValue ?? []).map { call in
                let function = call.objectValue!["function"]!.objectValue!
                return Call(
                    id: call.objectValue!["id"]!.stringValue!, name: function["name"]!.stringValue!,
                    arguments: (try? JSONParser.parse(function["arguments"]!.stringValue!)) ?? .null)
            }
            return turn
        }
    }

    @Test(arguments: 1...200)
    func requestThroughChatAndAnthropicAndBack(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 7919)
        let (object, expected) = Self.conversation(&g)
        let chat = try ResponsesFormat.chatRequest(try ResponsesRequest(object: object), earlier: [])
        #expect(Self.turns(chat.messages) == expected, "seed \(seed): Responses → chat")
        let anthropic = try AnthropicRequestTranslation.translate(chat, model: "claude")
        let back = try MessagesRequestTranslation.translate(anthropic)
        #expect(Self.turns(back["messages"]!.arrayValue!) == expected, "seed \(seed): → Anthropic → chat")
    }

    /// An answer from Anthropic becomes a Response whose output, sent back as the next request's
    /// input, is the same assistant turn again.
    @Test(arguments: 1...100)
    func answerBecomesAResponseAndTheNextTurnsInput(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 104_729)
        let (text, calls) = TranslationRoundTripTests.answer(&g)
        let message = TranslationRoundTripTests.anthropicMessage(text: text, calls: calls)
        let completion = AnthropicResponseTranslation.chatCompletion(message, model: "claude").objectValue!
        let envelope = ResponseEnvelope(request: JSONObject(pairs: ["model": "m", "input": "q"]), model: "m")
        let response = ResponsesResponseTranslation.response(completion, envelope: envelope).objectValue!
        #expect(response["status"] == "completed")
        #expect(response["usage"]?.objectValue?["input_tokens"] == 10 && response["usage"]?.objectValue?["output_tokens"] == 20)
        let output = response["output"]!.arrayValue!
        let next = JSONObject(pairs: ["model": "m", "input": .array([["role": "user", "content": "q"]] + output + [["role": "user", "content": "next"]])])
        let chat = try ResponsesFormat.chatRequest(try ResponsesRequest(object: next), earlier: [])
        #expect(Self.turns(chat.messages) == [Turn(role: "user", text: "q"), Turn(role: "assistant", text: text, calls: calls), Turn(role: "user", text: "next")], "seed \(seed)")
    }

    /// What the openai SDK's `responses.stream` helper rebuilds from the events, checking the
    /// order it relies on; and the final Response object.
    static func accumulate(_ bytes: [UInt8], seed: Int) throws -> (output: [JSONObject], final: JSONObject?) {
        let events = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
        var output: [JSONObject] = []
        var done: Set<Int> = []
        var final: JSONObject?
        for (n, event) in events.enumerated() {
            let lines = event.split(separator: "\n")
            let name = String(lines[0].dropFirst("event: ".count))
            let data = try JSONParser.parse(String(lines[1].dropFirst("data: ".count))).objectValue!
            #expect(data["type"]?.stringValue == name, "seed \(seed)")
            #expect(data["sequence_number"]?.intValue == n, "seed \(seed)")
            #expect((n == 0) == (name == "response.created"), "seed \(seed): response.created comes first, once")
            let index = data["output_index"]?.intValue ?? -1
            if index >= 0 && name != "response.output_item.added" {
                #expect(index < output.count && !done.contains(index), "seed \(seed): \(name) for an item that is not open")
            }
            switch name {
            case "response.output_item.added":
                #expect(index == output.count, "seed \(seed)")
                output.append(data["item"]!.objectValue!)
            case "response.content_part.added":
                output[index]["content"] = .array(output[index]["content"]!.arrayValue! + [data["part"]!])
            case "response.output_text.delta":
                var parts = output[index]["content"]!.arrayValue!
                var part = parts[data["content_index"]!.intValue!].objectValue!
                part["text"] = .string(part["text"]!.stringValue! + data["delta"]!.stringValue!)
                parts[data["content_index"]!.intValue!] = .object(part)
                output[index]["content"] = .array(parts)
            case "response.function_call_arguments.delta":
                output[index]["arguments"] = .string(output[index]["arguments"]!.stringValue! + data["delta"]!.stringValue!)
            case "response.output_item.done":
                done.insert(index)
                var rebuilt = output[index]
                rebuilt["status"] = "completed"
                #expect(JSONValue.object(rebuilt) == data["item"], "seed \(seed): the done item is what the deltas built")
            case "response.completed", "response.incomplete":
                final = data["response"]!.objectValue!
            default: break
            }
        }
        return (output, final)
    }

    static func check(_ bytes: [UInt8], text: String, calls: [Call], seed: Int) throws {
        let (output, final) = try accumulate(bytes, seed: seed)
        let final_ = try #require(final, "seed \(seed)")
        #expect(final_["output"] == JSONValue.array(output.map { item in var item = item; item["status"] = "completed"; return .object(item) }), "seed \(seed)")
        let gotText = output.filter { $0["type"] == "message" }.flatMap { $0["content"]!.arrayValue! }.compactMap { $0.objectValue?["text"]?.stringValue }.joined()
        #expect(gotText == text, "seed \(seed)")
        let gotCalls = output.filter { $0["type"] == "function_call" }.map {
            Call(id: $0["call_id"]!.stringValue!, name: $0["name"]!.stringValue!, arguments: (try? JSONParser.parse($0["arguments"]!.stringValue!)) ?? .null)
        }
        #expect(gotCalls == calls, "seed \(seed)")
        #expect(final_["usage"]?.objectValue?["input_tokens"] == 5 && final_["usage"]?.objectValue?["output_tokens"] == 7, "seed \(seed)")
    }

    @Test(arguments: 1...100)
    func chatStreamBecomesResponsesEvents(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 31_337)
        let (text, calls) = TranslationRoundTripTests.answer(&g)
        let chunks = Array(TranslationRoundTripTests.openAIChunks(text: text, calls: calls, &g).joined().utf8)
        let envelope = ResponseEnvelope(request: JSONObject(pairs: ["model": "m"]), model: "m")
        let events = try TranslationRoundTripTests.run(ResponsesStreamTranslator(envelope: envelope, progress: ResponseStreamProgress()), chunks, &g)
        try Self.check(events, text: text, calls: calls, seed: seed)
    }

    /// Anthropic's stream → chat chunks → Responses events: the answer survives both translations.
    @Test(arguments: 1...100)
    func anthropicStreamBecomesResponsesEvents(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 65_537)
        let (text, calls) = TranslationRoundTripTests.answer(&g)
        let chunks = Array(TranslationRoundTripTests.openAIChunks(text: text, calls: calls, &g).joined().utf8)
        let anthropic = try TranslationRoundTripTests.run(MessagesStreamTranslator(model: "claude"), chunks, &g)
        let chat = try TranslationRoundTripTests.run(AnthropicStreamTranslator(model: "claude", includeUsage: true, provider: "p"), anthropic, &g)
        let envelope = ResponseEnvelope(request: JSONObject(pairs: ["model": "m"]), model: "m")
        let events = try TranslationRoundTripTests.run(ResponsesStreamTranslator(envelope: envelope, progress: ResponseStreamProgress()), chat, &g)
        try Self.check(events, text: text, calls: calls, seed: seed)
    }

    /// Nothing is held back: each upstream event that carries text or arguments is translated
    /// by the call that received it.
    @Test func eachUpstreamEventIsTranslatedWhenItArrives() throws {
        let calls = [Call(id: "call_1", name: "f", arguments: ["a": 1])]
        var g = SplitMix64(seed: 1)
        let chunks = TranslationRoundTripTests.openAIChunks(text: "hello there", calls: calls, &g)
        var translator = ResponsesStreamTranslator(envelope: ResponseEnvelope(request: JSONObject(pairs: ["model": "m"]), model: "m"), progress: ResponseStreamProgress())
        for chunk in chunks {
            let out = String(decoding: try translator.consume(ByteBuffer(string: chunk)), as: UTF8.self)
            let delta = (try? JSONParser.parse(String(chunk.dropFirst(6).dropLast(2))))?.objectValue?["choices"]?.arrayValue?.first?.objectValue?["delta"]?.objectValue
            if case .string(let text)? = delta?["content"], !text.isEmpty {
                #expect(out.contains("response.output_text.delta") && out.contains(JSONWriter.string(.string(text))))
            }
            if let arguments = delta?["tool_calls"]?.arrayValue?.first?.objectValue?["function"]?.objectValue?["arguments"]?.stringValue, !arguments.isEmpty {
                #expect(out.contains("response.function_call_arguments.delta"))
            }
        }
        #expect(try translator.finish().isEmpty)
    }

    @Test func streamCutShortIsAnError() throws {
        var translator = ResponsesStreamTranslator(envelope: ResponseEnvelope(request: JSONObject(pairs: ["model": "m"]), model: "m"), progress: ResponseStreamProgress())
        var g = SplitMix64(seed: 2)
        let chunks = TranslationRoundTripTests.openAIChunks(text: "cut", calls: [], &g)
        _ = try translator.consume(ByteBuffer(string: chunks[1]))
        #expect(throws: GatewayError.self) { try translator.finish() }
    }

    /// `api: responses`: a chat conversation → a Responses API request → back to chat, same turns.
    @Test(arguments: 1...100)
    func chatRequestThroughTheResponsesAPIAndBack(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 524_287)
        let (messages, _) = TranslationRoundTripTests.conversation(&g)
        let chat = try ChatRequest(object: JSONObject(pairs: ["model": "m", "messages": .array(messages)]))
        let responses = try ChatToResponsesTranslation.translate(chat, model: "m")
        let back = try ResponsesFormat.chatRequest(try ResponsesRequest(object: responses), earlier: [])
        #expect(Self.turns(back.messages) == Self.turns(messages), "seed \(seed)")
    }

    /// `api: responses`: chat chunks → Responses events (as an upstream would send them) → chat
    /// chunks again, and the Response object → a chat completion: the answer survives.
    @Test(arguments: 1...100)
    func responsesUpstreamAnswersBecomeChatAgain(seed: Int) throws {
        var g = SplitMix64(seed: UInt64(seed) &* 2_147_483_647)
        let (text, calls) = TranslationRoundTripTests.answer(&g)
        let chunks = Array(TranslationRoundTripTests.openAIChunks(text: text, calls: calls, &g).joined().utf8)
        let progress = ResponseStreamProgress()
        let events = try TranslationRoundTripTests.run(ResponsesStreamTranslator(envelope: ResponseEnvelope(model: "m"), progress: progress), chunks, &g)
        let back = try TranslationRoundTripTests.run(ResponsesChatStreamTranslator(model: "m", includeUsage: true), events, &g)
        var message = JSONObject()
        var toolCalls: [Int: (id: String, name: String, arguments: String)] = [:]
        var finish: String?
        for event in String(decoding: back, as: UTF8.self).components(separatedBy: "\n\n") where event.hasPrefix("data: {") {
            let chunk = try JSONParser.parse(String(event.dropFirst(6))).objectValue!
            guard let choice = chunk["choices"]?.arrayValue?.first?.objectValue else { continue }
            if let reason = choice["finish_reason"]?.stringValue { finish = reason }
            let delta = choice["delta"]!.objectValue!
            message["content"] = .string((message["content"]?.stringValue ?? "") + (delta["content"]?.stringValue ?? ""))
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let fields = call.objectValue!
                var entry = toolCalls[fields["index"]!.intValue!] ?? ("", "", "")
                if let id = fields["id"]?.stringValue { entry.id = id }
                if let name = fields["function"]?.objectValue?["name"]?.stringValue { entry.name = name }
                entry.arguments += fields["function"]?.objectValue?["arguments"]?.stringValue ?? ""
                toolCalls[fields["index"]!.intValue!] = entry
            }
        }
        #expect(message["content"]?.stringValue == text, "seed \(seed)")
        let streamed = toolCalls.sorted { $0.key < $1.key }.map { Call(id: $0.value.id, name: $0.value.name, arguments: (try? JSONParser.parse($0.value.arguments)) ?? .null) }
        #expect(streamed == calls, "seed \(seed)")
        #expect(finish == (calls.isEmpty ? "stop" : "tool_calls"), "seed \(seed)")

        let response = try #require(progress.takeFinal()?.objectValue)
        let completion = ResponsesAnswerTranslation.chatCompletion(response, model: "m").objectValue!
        let reply = completion["choices"]!.arrayValue![0].objectValue!["message"]!
        let turn = Self.turns([reply])[0]
        #expect(turn.text == text && turn.calls == calls, "seed \(seed)")
    }
}
