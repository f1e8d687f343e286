/// `kind: vertex_ai` settings. Keys: `vertex_project`, `vertex_location`, `vertex_credentials`
/// (a service-account JSON file's path, or the JSON itself); defaults: `VERTEXAI_PROJECT` (else
/// the account's `project_id`), `VERTEXAI_LOCATION` (else `us-central1`),
/// `GOOGLE_APPLICATION_CREDENTIALS`.
public struct VertexSettings: Sendable {
    public var project: String?
    public var location: String?
    public var serviceAccount: ServiceAccount?

    /// The fields of a Google service-account key file the token exchange needs.
    public struct ServiceAccount: Sendable {
        public var clientEmail: String
        /// PEM (PKCS#8) RSA private key.
        public var privateKey: String
        public var privateKeyID: String?
        public var tokenURI: String
        public var projectID: String?

        /// Reads a key file's JSON; nil when it is not a service-account key.
        public init?(json text: String) {
            guard case .object(let object)? = try? JSONParser.parse(text),
                let email = object["client_email"]?.stringValue, let key = object["private_key"]?.stringValue
            else { return nil }
            clientEmail = email
            privateKey = key
            privateKeyID = object["private_key_id"]?.stringValue
            tokenURI = object["token_uri"]?.stringValue ?? "https://oauth2.googleapis.com/token"
            projectID = object["project_id"]?.stringValue
        }
    }

    public init() {}
}
