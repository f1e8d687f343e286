/// USD per token for a model's prompt and completion.
public struct ModelPrice: Sendable, Equatable {
    public var input: Double
    public var output: Double

    public init(input: Double, output: Double) {
        self.input = input
        self.output = output
    }
}

/// What a request cost: the target's own prices from the config first, then this table (a
/// LiteLLM `model_prices_and_context_window.json` file when configured, over the built-in
/// prices of the common models of each shipped provider).
public struct PriceTable: Sendable {
    var prices: [String: ModelPrice]

    public init(prices: [String: ModelPrice]) {
        self.prices = prices
    }

    /// The built-in table, with `overrides` (a LiteLLM price file's entries) on top.
    public static func builtIn(overriddenBy overrides: PriceTable? = nil) -> PriceTable {
        var table = PriceTable(prices: BuiltInPrices.table)
        if let overrides { table.prices.merge(overrides.prices) { $1 } }
        return table
    }

    /// Reads LiteLLM's price file: `{"model": {"input_cost_per_token": …, "output_cost_per_token": …}, …}`.
    /// Entries without both costs (the `sample_spec` entry, image models) are skipped.
    public init(litellmJSON bytes: [UInt8]) throws(JSONParseError) {
        guard case .object(let root) = try JSONParser.parse(bytes) else {
            throw JSONParseError(message: "expected a JSON object of models", offset: 0)
        }
        var prices: [String: ModelPrice] = [:]
        for (model, entry) in root {
            guard let fields = entry.objectValue, let input = fields["input_cost_per_token"]?.doubleValue else { continue }
            prices[model] = ModelPrice(input: input, output: fields["output_cost_per_token"]?.doubleValue ?? 0)
        }
        self.prices = prices
    }

    /// The price of an upstream model: its exact name, without a `provider/` prefix, or the
    /// longest known name it extends with a dated or versioned suffix (`gpt-4o-2024-08-06`).
    public func price(model: String) -> ModelPrice? {
        if let price = prices[model] { return price }
        // Bytes, not Characters: `/`, `-` and `@` are ASCII, and grapheme breaking is not free.
        var bare = Substring(model)
        if let slash = model.utf8.firstIndex(of: UInt8(ascii: "/")), slash != model.startIndex,
            model.utf8.index(after: slash) != model.endIndex
        {
            bare = model[model.utf8.index(after: slash)...]
            if let price = prices[String(bare)] { return price }
        }
        // The longest prefix that ends where a `-` or `@` suffix starts: a few lookups, not a
        // scan of the table.
        var end = bare.endIndex
        while let cut = bare.utf8[..<end].lastIndex(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") }) {
            if let price = prices[String(bare[..<cut])] { return price }
            end = cut
        }
        return nil
    }

    /// The cost of a request on `target`, or nil when neither the config nor the table prices it.
    public func cost(target: Target, promptTokens: Int, completionTokens: Int) -> Double? {
        let table = (target.inputCostPerToken == nil || target.outputCostPerToken == nil) ? price(model: target.model) : nil
        guard let input = target.inputCostPerToken ?? table?.input, let output = target.outputCostPerToken ?? table?.output else {
            return nil
        }
        return Double(promptTokens) * input + Double(completionTokens) * output
    }
}
