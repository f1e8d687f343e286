import Foundation
import NIOCore
import Testing

@testable import SwitchyardCore

@Suite("chat request parsing and re-encoding")
struct ChatRequestTests {
    let body = #"{"stream":false, "model":"virtual","messages":[{"role":"user","content":"hi"}],"logit_bias":{"50256":-100},"top_p":1.0}"#

    @Test func unchangedModelForwardsTheClientBytes() throws {
        let request = try ChatRequest(body: ByteBuffer(string: body))
        #expect(String(buffer: request.encodedBody(model: "virtual")) == body)
    }

    @Test func differentModelIsSplicedWithoutReencoding() throws {
        let request = try ChatRequest(body: ByteBuffer(string: body))
        #expect(String(buffer: request.encodedBody(model: "gpt-4o \"x\"")) == body.replacingOccurrences(of: #""virtual""#, with: #""gpt-4o \"x\"""#))
    }

    @Test func modifiedRequestIsReencodedKeepingUnknownFields() throws {
        var request = try ChatRequest(body: ByteBuffer(string: body))
        request.set("temperature", .number("0.2"))
        #expect(String(buffer: request.encodedBody(model: "up")) == #"{"stream":false,"model":"up","messages":[{"role":"user","content":"hi"}],"logit_bias":{"50256":-100},"top_p":1.0,"temperature":0.2}"#)
    }

    @Test func validationNamesTheField() {
        let cases: [(String, String)] = [
            (#"{"messages":[]}"#, "model"),
            (#"{"model":"m","messages":[{"role":"user"},{"role":null}]}"#, "messages[1].role"),
            (#"{"model":"m","messages":[{"role":"user","content":{}}]}"#, "messages[0].content"),
            (#"{"model":"m","messages":[{"role":"user"}],"temperature":"hot"}"#, "temperature"),
        ]
        for (text, field) in cases {
            do {
                _ = try ChatRequest(body: ByteBuffer(string: text))
                Issue.record("expected \(field) to be rejected")
            } catch {
                #expect(error.param == field)
                #expect(error.status == 400)
            }
        }
    }
}
