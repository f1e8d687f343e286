import Testing

import SwitchyardCore

@Suite("price table")
struct PriceTableTests {
    let table = PriceTable(prices: [
        "gpt-4o": ModelPrice(input: 1, output: 2),
        "gpt-4o-mini": ModelPrice(input: 3, output: 4),
        "claude-3-5-sonnet": ModelPrice(input: 5, output: 6),
    ])

    @Test func exactNamesAndProviderPrefixes() {
        #expect(table.price(model: "gpt-4o") == ModelPrice(input: 1, output: 2))
        #expect(table.price(model: "openai/gpt-4o-mini") == ModelPrice(input: 3, output: 4))
    }

    @Test func theLongestKnownNameADatedOrVersionedSuffixExtends() {
        #expect(table.price(model: "gpt-4o-mini-2024-07-18") == ModelPrice(input: 3, output: 4))
        #expect(table.price(model: "gpt-4o-2024-08-06") == ModelPrice(input: 1, output: 2))
        #expect(table.price(model: "azure/gpt-4o-mini-stream") == ModelPrice(input: 3, output: 4))
        #expect(table.price(model: "claude-3-5-sonnet@20240620") == ModelPrice(input: 5, output: 6))
    }

    @Test func namesThatOnlyStartAlikeAreNotPriced() {
        #expect(table.price(model: "gpt-4omni") == nil)
        #expect(table.price(model: "gpt") == nil)
        #expect(table.price(model: "unknown-model") == nil)
        #expect(table.price(model: "/gpt-4o-x") == nil)
    }
}
