import Foundation
import Testing

@testable import SwitchyardProviders

/// The SigV4 signer against signatures botocore's own `SigV4Auth` computed for the same requests
/// (`scripts/gen_sigv4_vectors.py` → `Fixtures/sigv4_vectors.json`).
@Suite("SigV4 signer")
struct SigV4SignerTests {
    struct Row: Decodable, CustomTestStringConvertible {
        var name: String
        var method: String
        var url: String
        var headers: [String: String]
        var region: String
        var service: String
        var timestamp: String
        var session_token: Bool
        var expected: [String: String?]
        var body_base64: String?
        var body_length: Int?
        var testDescription: String { name }

        var body: [UInt8] {
            if let body_base64 { return Array(Data(base64Encoded: body_base64)!) }
            return (0..<(body_length ?? 0)).map { UInt8(($0 * 7 + 3) % 251) }
        }
    }

    struct Table: Decodable {
        var access_key_id: String
        var secret_access_key: String
        var session_token: String
        var rows: [Row]
    }

    static let table: Table = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sigv4_vectors.json")
        return try! JSONDecoder().decode(Table.self, from: Data(contentsOf: url))
    }()

    static func date(_ timestamp: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: timestamp)!
    }

    @Test func tableHasTheInterestingCases() {
        #expect(Self.table.rows.count >= 10)
        #expect(Self.table.rows.contains { $0.url.contains("%3A") })
        #expect(Self.table.rows.contains { $0.url.contains("?") })
        #expect(Self.table.rows.contains { $0.session_token })
        #expect(Self.table.rows.contains { ($0.body_length ?? 0) > 1_000_000 })
    }

    @Test(arguments: table.rows)
    func matchesBotocore(_ row: Row) {
        let table = Self.table
        let signer = SigV4Signer(
            credentials: .init(accessKeyID: table.access_key_id, secretAccessKey: table.secret_access_key, sessionToken: row.session_token ? table.session_token : nil),
            region: row.region, service: row.service)
        let added = signer.sign(method: row.method, url: row.url, headers: row.headers.map { ($0.key, $0.value) }, body: row.body, date: Self.date(row.timestamp))
        let headers = Dictionary(added.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(headers["authorization"] == row.expected["authorization"] ?? nil)
        #expect(headers["x-amz-date"] == row.expected["x-amz-date"] ?? nil)
        #expect(headers["x-amz-security-token"] == row.expected["x-amz-security-token"] ?? nil)
    }

    @Test func timestampsAcrossLeapDaysAndYears() {
        #expect(SigV4Signer.timestamp(Self.date("20240229T235959Z")) == "20240229T235959Z")
        #expect(SigV4Signer.timestamp(Self.date("20000301T000000Z")) == "20000301T000000Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 4_102_444_799)) == "20991231T235959Z")
    }
}
