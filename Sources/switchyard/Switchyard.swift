import ArgumentParser

@main
struct Switchyard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "An OpenAI-compatible LLM gateway with declarative pipelines.",
        subcommands: [Serve.self, Check.self, Graph.self, Explain.self, RunTests.self, Import.self, Keys.self, ConfigCommand.self],
        defaultSubcommand: Serve.self)
}
