/// `kind: bedrock` settings. Keys: `aws_access_key_id`, `aws_secret_access_key`,
/// `aws_session_token`, `aws_region_name`; each defaults to the standard AWS variable
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` /
/// `AWS_DEFAULT_REGION`). A Bedrock API key (`api_key`, or `AWS_BEARER_TOKEN_BEDROCK`) is sent
/// as a bearer token instead of a signature.
public struct AWSSettings: Sendable {
    public var accessKeyID: String?
    public var secretAccessKey: String?
    public var sessionToken: String?
    public var region: String?

    public init() {}
}
