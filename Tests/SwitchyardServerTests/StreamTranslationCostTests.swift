import Foundation
import NIOCore
import Testing

@testable import SwitchyardProviders

/// The cost of stream translation, per upstream event. Printed so `swift test` output shows it;
/// the bound only catches an accidental quadratic or buffering regression (debug builds are
/// slow; release numbers are several times lower).
@Suite("stream translation cost")
struct StreamTranslationCostTests {
    static func measure(events: [String], rounds: Int, _ make: () -> any StreamTranslator) throws -> Double {
        let chunks = events.map { ByteBuffer(string: $0 + "\n\n") }
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<rounds {
                var translator = make()
                for chunk in chunks { _ = try translator.consume(chunk) }
                _ = try translator.finish()
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds * 1e6 / Double(rounds * events.count)
    }

    @Test func anthropicToOpenAIPerEventCost() throws {
        let perEvent = try Self.measure(events: AnthropicFixtures.toolStreamEvents, rounds: 500) {
            AnthropicStreamTranslator(model: "claude", includeUsage: true, provider: "p")
        }
        print("Anthropic → OpenAI stream translation: \(String(format: "%.2f", perEvent)) µs per event")
        #expect(perEvent < 500)
    }

    @Test func openAIToAnthropicPerEventCost() throws {
        let events = [
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
        ] + (0..<20).map { i in
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"word \#(i) "},"finish_reason":null}]}"#
        } + [
            #"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            "data: [DONE]",
        ]
        let perEvent = try Self.measure(events: events, rounds: 500) { MessagesStreamTranslator(model: "m") }
        print("OpenAI → Anthropic stream translation: \(String(format: "%.2f", perEvent)) µs per event")
        #expect(perEvent < 500)
    }

    /// Each event is translated when it arrives: one complete event in, its translation out.
    @Test func everyEventIsTranslatedOnArrival() throws {
        var translator = AnthropicStreamTranslator(model: "claude", includeUsage: false, provider: "p")
        var produced: [Bool] = []
        for event in AnthropicFixtures.toolStreamEvents {
            produced.append(!(try translator.consume(ByteBuffer(string: event + "\n\n"))).isEmpty)
        }
        // message_start, text deltas, tool starts, argument pieces, message_delta, message_stop
        // each produce output at once; ping, block stops and the empty first argument piece do not.
        #expect(produced == [true, false, false, true, true, false, true, false, true, true, false, true, true, false, true, true])
    }
}
