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
        let bare = model.split(separator: "/", maxSplits: 1).count == 2 ? String(model.split(separator: "/", maxSplits: 1)[1]) : model
        if let price = prices[bare] { return price }
        var best: (length: Int, price: ModelPrice)?
        for (name, price) in prices where bare.hasPrefix(name + "-") || bare.hasPrefix(name + "@") {
            if name.count > (best?.length ?? 0) { best = (name.count, price) }
        }
        return best?.price
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
