import Foundation
import Yams

extension GatewayConfig {
    static let awsKeys = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name"]
    static let vertexKeys = ["vertex_project", "vertex_location", "vertex_credentials"]

    /// Reads one `aws_*` / `vertex_*` provider key; an unset `os.environ/` reference makes the
    /// provider unavailable (as for `api_key`).
    static func readCloudKey(_ field: (key: String, keyNode: Node, value: Node), into provider: inout ProviderSpec, path: String, reader: YAMLReader) {
        let wanted: ProviderKind = field.key.hasPrefix("aws_") ? .bedrock : .vertexAI
        guard provider.kind == wanted else {
            reader.error(field.keyNode, path, "'\(field.key)' is only used by kind '\(wanted.rawValue)'")
            return
        }
        var missing: String?
        let value = reader.string(field.value, path, missingVariable: &missing)
        if let missing {
            provider.missingKeyVariable = provider.missingKeyVariable ?? missing
            reader.warning(field.value, path, "environment variable '\(missing)' is not set; provider '\(provider.name)' is unavailable until it is")
        }
        switch field.key {
        case "aws_access_key_id": provider.aws.accessKeyID = value
        case "aws_secret_access_key": provider.aws.secretAccessKey = value
        case "aws_session_token": provider.aws.sessionToken = value
        case "aws_region_name": provider.aws.region = value
        case "vertex_project": provider.vertex.project = value
        case "vertex_location": provider.vertex.location = value
        case "vertex_credentials":
            guard let value else { return }
            provider.vertex.serviceAccount = readServiceAccount(value, node: field.value, path: path, reader: reader)
        default: break
        }
    }

    /// What `bedrock` takes from the environment: keys, region, or a Bedrock API key. Missing
    /// credentials make the provider unavailable, naming the variable to set.
    static func applyAWSDefaults(_ provider: inout ProviderSpec, hasKey: Bool, reader: YAMLReader) {
        let env = { (name: String) -> String? in reader.environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if !hasKey, provider.aws.accessKeyID == nil, let token = env("AWS_BEARER_TOKEN_BEDROCK") { provider.apiKey = token }
        if provider.aws.region == nil {
            provider.aws.region = env("AWS_REGION_NAME") ?? env("AWS_REGION") ?? env("AWS_DEFAULT_REGION")
        }
        let usesKey = provider.apiKey != nil || hasKey
        if !usesKey && provider.aws.accessKeyID == nil {
            provider.aws.accessKeyID = env("AWS_ACCESS_KEY_ID")
            if provider.aws.secretAccessKey == nil { provider.aws.secretAccessKey = env("AWS_SECRET_ACCESS_KEY") }
            if provider.aws.sessionToken == nil { provider.aws.sessionToken = env("AWS_SESSION_TOKEN") }
        }
        guard provider.missingKeyVariable == nil else { return }
        if provider.aws.region == nil && provider.apiBase == nil {
            provider.missingKeyVariable = "AWS_REGION"
        } else if !usesKey && provider.aws.accessKeyID == nil {
            provider.missingKeyVariable = "AWS_ACCESS_KEY_ID"
        } else if !usesKey && provider.aws.secretAccessKey == nil {
            provider.missingKeyVariable = "AWS_SECRET_ACCESS_KEY"
        }
    }

    /// What `vertex_ai` takes from the environment: the key file, project and location.
    static func applyVertexDefaults(_ provider: inout ProviderSpec, node: Node, path: String, reader: YAMLReader) {
        let env = { (name: String) -> String? in reader.environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if provider.vertex.serviceAccount == nil, provider.missingKeyVariable == nil {
            if let file = env("GOOGLE_APPLICATION_CREDENTIALS") {
                provider.vertex.serviceAccount = readServiceAccount(file, node: node, path: join(path, "GOOGLE_APPLICATION_CREDENTIALS"), reader: reader)
            } else {
                provider.missingKeyVariable = "GOOGLE_APPLICATION_CREDENTIALS"
            }
        }
        provider.vertex.project = provider.vertex.project ?? env("VERTEXAI_PROJECT") ?? env("GOOGLE_CLOUD_PROJECT") ?? provider.vertex.serviceAccount?.projectID
        provider.vertex.location = provider.vertex.location ?? env("VERTEXAI_LOCATION") ?? "us-central1"
        if provider.vertex.project == nil, provider.missingKeyVariable == nil { provider.missingKeyVariable = "VERTEXAI_PROJECT" }
    }

    /// `vertex_credentials`: inline JSON, or the path of a key file (read now, at load time).
    /// Errors name the file, never its content.
    static func readServiceAccount(_ value: String, node: Node, path: String, reader: YAMLReader) -> VertexSettings.ServiceAccount? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let text: String
        let origin: String
        if trimmed.hasPrefix("{") {
            text = trimmed
            origin = "the inline credentials"
        } else {
            guard let contents = try? String(contentsOfFile: trimmed, encoding: .utf8) else {
                reader.error(node, path, "cannot read the service-account file '\(trimmed)'")
                return nil
            }
            text = contents
            origin = "'\(trimmed)'"
        }
        guard let account = VertexSettings.ServiceAccount(json: text) else {
            reader.error(node, path, "\(origin) is not a Google service-account key (needs client_email and private_key)",
                hint: "create one with `gcloud iam service-accounts keys create`")
            return nil
        }
        return account
    }
}
