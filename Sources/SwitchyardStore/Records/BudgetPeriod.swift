public import SwitchyardCore

/// Budget and key durations as LiteLLM writes them: `30s`, `10m`, `1h`, `7d`, `2w`, `1mo`; a
/// unit (not `ms`) is required and the period must be longer than zero.
public enum BudgetPeriod {
    public static func seconds(_ text: String) -> Double? {
        guard !text.hasSuffix("ms"), let seconds = DurationText.seconds(text, requiringUnit: true), seconds > 0 else { return nil }
        return seconds
    }
}
