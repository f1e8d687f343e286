import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore
import SwitchyardCore
import SwitchyardServer
import Testing

@Suite("access log")
struct AccessLogTests {
    static func yaml(_ port: Int) -> String {
        GatewayHarness.config(upstreamPort: port, masterKey: "sk-master-secret-123")
            .replacingOccurrences(of: "access_log: false", with: "access_log: true")
    }

    static let auth: HTTPFields = [.contentType: "application/json", .authorization: "Bearer sk-master-secret-123"]

    @Test func oneLinePerRequestWithOurRequestIDAndNoSecrets() async throws {
        let upstream = FakeUpstream()
        let logs = InMemoryLogHandler()
        let requestID = try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.yaml(port), logHandler: logs) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Self.auth, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .ok)
                    return response.headers[HTTPField.Name("x-switchyard-request-id")!] ?? ""
                }
            }
        }
        let lines = logs.entries.filter { $0.message.description == "request" }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.metadata["request.id"] == .string(requestID))
        #expect(line.metadata["hb.request.id"] == nil)
        #expect(line.metadata["http.method"] == "POST")
        #expect(line.metadata["http.route"] == "/v1/chat/completions")
        #expect(line.metadata["http.status"]?.description == "200")
        #expect(line.metadata["model.requested"] == "client-ok")
        #expect(line.metadata["provider.target"] == "fake/ok")
        #expect(line.metadata["key.alias"] == "master")
        #expect(line.metadata["duration.ms"] != nil)
        // Neither the caller's key nor the upstream's appears in any line.
        for entry in logs.entries {
            let text = "\(entry.message) \(entry.metadata)"
            #expect(!text.contains("sk-master-secret-123"))
            #expect(!text.contains("sk-upstream-secret"))
        }
    }

    @Test func refusedRequestsAreLoggedWithTheirErrorType() async throws {
        let upstream = FakeUpstream()
        let logs = InMemoryLogHandler()
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.yaml(port), logHandler: logs) { client in
                let wrong: HTTPFields = [.contentType: "application/json", .authorization: "Bearer sk-wrong-key-999"]
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: wrong, body: GatewayHarness.chatBody(model: "client-ok")) { response in
                    #expect(response.status == .unauthorized)
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Self.auth, body: ByteBuffer(string: "{nope")) { response in
                    #expect(response.status == .badRequest)
                }
            }
        }
        let lines = logs.entries.filter { $0.message.description == "request" }
        #expect(lines.map { $0.metadata["error.type"]?.description } == ["invalid_api_key", "invalid_json"])
        #expect(!logs.entries.contains { "\($0.metadata)".contains("sk-wrong-key-999") })
    }

    /// The line of a stream is written when the stream ends, not at its first byte, so it
    /// knows how the stream ended.
    @Test func aStreamIsLoggedAfterItsLastByteWithItsOutcome() async throws {
        let upstream = FakeUpstream()
        let logs = InMemoryLogHandler()
        let requestLines: @Sendable () -> [InMemoryLogHandler.Entry] = { logs.entries.filter { $0.message.description == "request" } }
        try await upstream.run { port in
            try await GatewayHarness.withGateway(yaml: Self.yaml(port), logHandler: logs) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let body = GatewayHarness.chatBody(model: "client-stream", stream: true)
                        try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Self.auth, body: body) { response in
                            #expect(String(buffer: response.body).contains("second"))
                        }
                    }
                    // The first chunk has gone out; the upstream holds the rest back.
                    while upstream.received.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(requestLines().isEmpty)
                    upstream.releaseStream()
                    try await group.waitForAll()
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Self.auth, body: GatewayHarness.chatBody(model: "client-break", stream: true)) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Self.auth, body: GatewayHarness.chatBody(model: "fail-500", stream: true)) { response in
                    #expect(response.status == .internalServerError)
                }
            }
        }
        let lines = requestLines()
        #expect(lines.count == 3)
        // A stream that failed before its first byte was answered with the error's status.
        let failed = try #require(lines.first { $0.metadata["model.requested"] == "fail-500" })
        #expect(failed.metadata["http.status"]?.description == "500")
        #expect(failed.metadata["error.type"] == "upstream_error")
        let complete = try #require(lines.first { $0.metadata["model.requested"] == "client-stream" })
        #expect(complete.metadata["stream"]?.description == "true")
        #expect(complete.metadata["error.type"] == nil)
        let milliseconds = try #require(complete.metadata["duration.ms"].flatMap { Double($0.description) })
        #expect(milliseconds >= 300)
        let broken = try #require(lines.first { $0.metadata["model.requested"] == "client-break" })
        #expect(broken.metadata["http.status"]?.description == "200")
        // The upstream cut the connection mid-stream: classified by the transport error's type.
        #expect(broken.metadata["error.type"] == "upstream_unreachable")
    }

    @Test func jsonLinesHaveTheDocumentedFields() throws {
        let pipe = Pipe()
        let writer = LogLineWriter(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
        let logger = Logger(label: "switchyard") { label in GatewayLogHandler(label: label, format: .json, writer: writer) }
        logger.info("request", metadata: ["request.id": "abc-1", "http.status": .stringConvertible(200), "duration.ms": .stringConvertible(1.5), "stream": .stringConvertible(true)])
        writer.flush()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["message"] as? String == "request")
        #expect(object["logger"] as? String == "switchyard")
        #expect(object["request.id"] as? String == "abc-1")
        #expect(object["http.status"] as? Int == 200)
        #expect(object["duration.ms"] as? Double == 1.5)
        #expect(object["stream"] as? Bool == true)
        let time = try #require(object["time"] as? String)
        #expect(time.hasSuffix("Z") && time.count == 24)
        writer.shutdown()
    }

    @Test func textLinesAreSortedAndCarryTheCurrentUTCTime() throws {
        let pipe = Pipe()
        let writer = LogLineWriter(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
        var logger = Logger(label: "switchyard") { label in GatewayLogHandler(label: label, format: .text, writer: writer) }
        logger[metadataKey: "request.id"] = "from-logger"
        logger[metadataKey: "a.first"] = "kept"
        logger.info("request", metadata: ["request.id": "explicit-wins", "http.status": .stringConvertible(200), "z.last": "x y"])
        logger.info("second", metadata: ["json": .stringConvertible(false)])
        writer.flush()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let line = try #require(lines.first)
        let time = String(line.prefix(24))
        #expect(line.dropFirst(24) == " info switchyard: request a.first=kept http.status=200 request.id=explicit-wins z.last=x y")
        #expect(lines.last?.hasSuffix(" info switchyard: second a.first=kept json=false request.id=from-logger") == true)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: time))
        #expect(abs(date.timeIntervalSinceNow) < 5)
        writer.shutdown()
    }

    /// Nobody reads the pipe: logging still returns at once, and the lines that did not fit are counted.
    @Test func aStalledStdoutDropsLinesInsteadOfBlocking() throws {
        let pipe = Pipe()
        let writer = LogLineWriter(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor, capacity: 8)
        let line = String(repeating: "x", count: 16 * 1024)
        let started = ContinuousClock.now
        for _ in 0..<200 { writer.write(line) }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(writer.droppedCount > 100)
        // Let the writer thread finish before the pipe's descriptors are closed and reused.
        let reader = pipe.fileHandleForReading
        DispatchQueue.global().async { _ = reader.readDataToEndOfFile() }
        writer.shutdown()
        try pipe.fileHandleForWriting.close()
    }
}
