import Foundation
import Testing

@testable import SwitchyardCore

/// `bedrock` and `vertex_ai` providers: the LiteLLM prefixes and keys, the standard environment
/// variables, and what is unavailable (a warning) versus wrong (an error).
@Suite("Bedrock and Vertex AI configuration")
struct CloudProviderConfigTests {
    static let awsEnvironment = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token", "AWS_REGION": "eu-west-1"]
    static let serviceAccount = #"{"type":"service_account","project_id":"from-key","private_key_id":"k1","private_key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n","client_email":"sa@from-key.iam.gserviceaccount.com","token_uri":"https://oauth2.googleapis.com/token"}"#

    static func program(_ yaml: String, environment: [String: String] = [:]) throws -> GatewayProgram {
        try GatewayProgram(config: ConfigLoader.load(yaml: yaml, file: "c.yaml", environment: environment))
    }

    /// Each model's first target (kind, upstream model), or why the model is unavailable.
    static func targets(_ program: GatewayProgram) -> [String: (kind: ProviderKind?, model: String?, unavailable: String?)] {
        var out: [String: (ProviderKind?, String?, String?)] = [:]
        for (i, entry) in program.models.enumerated() {
            guard case .deployments(let model) = entry else { continue }
            out[program.modelNames[i]] = (model.targets.first?.providerKind, model.targets.first?.model, model.unavailableReason)
        }
        return out
    }

    @Test func liteLLMBedrockPrefixesLoadWithTheirKeys() throws {
        let yaml = """
            model_list:
              - model_name: claude
                litellm_params:
                  model: bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0
                  aws_access_key_id: os.environ/MY_KEY_ID
                  aws_secret_access_key: os.environ/MY_SECRET
                  aws_region_name: us-east-1
              - model_name: llama
                litellm_params: {model: bedrock/converse/meta.llama3-1-70b-instruct-v1:0, aws_region_name: us-west-2}
              - model_name: claude-invoke
                litellm_params: {model: "bedrock/invoke/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0"}
            """
        let program = try Self.program(yaml, environment: Self.awsEnvironment.merging(["MY_KEY_ID": "AKIDCONF", "MY_SECRET": "conf-secret"]) { a, _ in a })
        let targets = Self.targets(program)
        #expect(targets["claude"]?.kind == .bedrock)
        #expect(targets["claude"]?.model == "us.anthropic.claude-3-7-sonnet-20250219-v1:0")
        #expect(targets["llama"]?.model == "converse/meta.llama3-1-70b-instruct-v1:0")
        #expect(targets["claude-invoke"]?.model == "invoke/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0")
        #expect(targets.values.allSatisfy { $0.unavailable == nil })
        let specs = program.providers.map(\.spec)
        let configured = try #require(specs.first { $0.aws.accessKeyID == "AKIDCONF" })
        #expect(configured.aws.secretAccessKey == "conf-secret")
        #expect(configured.aws.sessionToken == nil)  // a configured key does not borrow the environment's token
        #expect(configured.aws.region == "us-east-1")
        let fromEnvironment = try #require(specs.first { $0.aws.region == "us-west-2" })
        #expect(fromEnvironment.aws.accessKeyID == "AKIDENV")
        #expect(fromEnvironment.aws.sessionToken == "env-token")
        #expect(specs.contains { $0.aws.region == "eu-west-1" })
    }

    @Test func missingAWSCredentialsMakeTheDeploymentUnavailable() throws {
        let yaml = "model_list:\n  - model_name: c\n    litellm_params: {model: bedrock/anthropic.claude-v2, aws_region_name: us-east-1}\n"
        let unavailable = try Self.program(yaml)
        #expect(Self.targets(unavailable)["c"]?.unavailable?.contains("AWS_ACCESS_KEY_ID") == true)
        let noRegion = try Self.program("model_list:\n  - model_name: c\n    litellm_params: {model: bedrock/anthropic.claude-v2}\n", environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(Self.targets(noRegion)["c"]?.unavailable?.contains("AWS_REGION") == true)
        let bearer = try Self.program(yaml, environment: ["AWS_BEARER_TOKEN_BEDROCK": "ABSK-key"])
        #expect(Self.targets(bearer)["c"]?.unavailable == nil)
        #expect(bearer.providers.first?.spec.apiKey == "ABSK-key")
    }

    @Test func rolesAndProfilesAreLeftOutWithAWarning() throws {
        let config = try ConfigLoader.load(
            yaml: "model_list:\n  - model_name: c\n    litellm_params: {model: bedrock/anthropic.claude-v2, aws_role_name: arn:aws:iam::1:role/x}\n  - model_name: d\n    litellm_params: {model: gpt-4o, mock_response: hi}\n",
            file: "c.yaml", environment: Self.awsEnvironment)
        #expect(config.models.map(\.name) == ["d"])
        #expect(config.warnings.contains { $0.path == "model_list[0].litellm_params.aws_role_name" && $0.message.contains("AssumeRole") })
    }

    @Test func vertexCredentialsInlineOrFromAFile() throws {
        let inline = """
            model_list:
              - model_name: gemini
                litellm_params:
                  model: vertex_ai/gemini-2.5-pro
                  vertex_location: europe-west4
                  vertex_credentials: '\(Self.serviceAccount)'
            """
        let program = try Self.program(inline)
        let spec = try #require(program.providers.first?.spec)
        #expect(spec.kind == .vertexAI)
        #expect(spec.vertex.project == "from-key")
        #expect(spec.vertex.location == "europe-west4")
        #expect(spec.vertex.serviceAccount?.clientEmail == "sa@from-key.iam.gserviceaccount.com")
        #expect(Self.targets(program)["gemini"]?.model == "gemini-2.5-pro")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString).json")
        try Self.serviceAccount.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromEnvironment = try Self.program(
            "model_list:\n  - model_name: claude\n    litellm_params: {model: vertex_ai/claude-3-7-sonnet@20250219}\n",
            environment: ["GOOGLE_APPLICATION_CREDENTIALS": file.path, "VERTEXAI_PROJECT": "env-project"])
        #expect(fromEnvironment.providers.first?.spec.vertex.project == "env-project")
        #expect(fromEnvironment.providers.first?.spec.vertex.location == "us-central1")
        #expect(fromEnvironment.providers.first?.spec.vertex.serviceAccount?.tokenURI == "https://oauth2.googleapis.com/token")
        #expect(Self.targets(fromEnvironment)["claude"]?.unavailable == nil)

        let missing = try Self.program("model_list:\n  - model_name: g\n    litellm_params: {model: vertex_ai/gemini-2.5-pro, vertex_project: p}\n")
        #expect(Self.targets(missing)["g"]?.unavailable?.contains("GOOGLE_APPLICATION_CREDENTIALS") == true)
    }

    @Test func aKeyFileThatIsNotAServiceAccountIsAnErrorThatDoesNotShowIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
        try #"{"type":"authorized_user","refresh_token":"1//secret-refresh"}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect {
            _ = try ConfigLoader.load(
                yaml: "providers:\n  g: {kind: vertex_ai, vertex_project: p, vertex_credentials: \(file.path)}\nmodels:\n  m: {provider: g, model: gemini-2.5-pro}\n", environment: [:])
        } throws: { error in
            let text = (error as? ConfigError)?.diagnostics.map(\.description).joined() ?? ""
            return text.contains("is not a Google service-account key") && text.contains(file.lastPathComponent) && !text.contains("secret-refresh")
        }
    }

    @Test func nativeKeysBelongToTheirKind() {
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(yaml: "providers:\n  o: {kind: openai, api_key: k, aws_region_name: us-east-1}\nmodels:\n  m: {provider: o}\n", environment: [:])
        }
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(yaml: "providers:\n  b: {kind: bedrock, aws_region_name: us-east-1, vertex_project: p}\nmodels:\n  m: {provider: b}\n", environment: [:])
        }
    }

    @Test func unsetVariablesOutsideTheMasterKeyAreWarnings() throws {
        let yaml = """
            model_list:
              - model_name: az
                litellm_params: {model: azure/gpt-4o, api_base: os.environ/AZURE_API_BASE, api_key: os.environ/AZURE_API_KEY, api_version: os.environ/AZURE_API_VERSION}
              - model_name: b
                litellm_params: {model: bedrock/anthropic.claude-v2, aws_region_name: os.environ/BEDROCK_REGION}
              - model_name: ok
                litellm_params: {model: gpt-4o, mock_response: hi}
            """
        let config = try ConfigLoader.load(yaml: yaml, file: "c.yaml", environment: [:])
        // Reported at the deployment that uses the provider.
        #expect(config.warnings.contains { $0.message.contains("'AZURE_API_BASE' is not set") && $0.line == 2 && $0.path == "model_list[0]" }, "\(config.warnings)")
        #expect(config.warnings.contains { $0.message.contains("'BEDROCK_REGION' is not set") })
        let program = try GatewayProgram(config: config)
        let targets = Self.targets(program)
        #expect(targets["az"]?.unavailable?.contains("AZURE_API_BASE") == true)
        #expect(targets["b"]?.unavailable?.contains("BEDROCK_REGION") == true)
        #expect(targets["ok"]?.unavailable == nil)
        // The master key is still an error.
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(yaml: yaml + "\ngeneral_settings: {master_key: os.environ/MASTER}\n", environment: [:])
        }
    }

    @Test func fallbacksMayNameModelsOnlyAWildcardServes() async throws {
        let yaml = """
            model_list:
              - model_name: "*"
                litellm_params: {model: "openai/*", api_base: http://up.test/v1, api_key: sk-x}
            router_settings:
              context_window_fallbacks: [{"gpt-5-mini": ["gpt-5"]}]
            """
        let program = try Self.program(yaml)
        let targets = Self.targets(program)
        #expect(targets["gpt-5"]?.model == "gpt-5")
        #expect(targets["gpt-5-mini"]?.model == "gpt-5-mini")
        let run = await program.dryRun(DryRunRequest(JSONObject([("model", "gpt-5-mini"), ("content", "hello")])), failing: ["openai/gpt-5-mini": "context_window"])
        #expect(run.calls.map(\.target) == ["openai/gpt-5-mini", "openai/gpt-5"])
    }

    @Test func theExampleConfigLoadsItsBedrockAndVertexDeployments() throws {
        let path = LiteLLMExampleTests.directory.appendingPathComponent("bedrock-and-vertex.yaml").path
        let environment = Self.awsEnvironment.merging(["AWS_REGION_NAME": "us-east-1", "VERTEXAI_PROJECT": "p"]) { a, _ in a }
        let config = try ConfigLoader.load(path: path, environment: environment)
        #expect(config.models.map(\.name) == ["claude-sonnet", "llama", "claude-invoke", "gemini-pro"])
        #expect(config.models[0].targets.count == 2)
        let kinds = config.providers.map(\.kind)
        #expect(kinds.filter { $0 == .bedrock }.count == 3)
        #expect(kinds.filter { $0 == .vertexAI }.count == 2)
        #expect(config.migration.allSatisfy { $0.status != .unsupported })
    }
}
