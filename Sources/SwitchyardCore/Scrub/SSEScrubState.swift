import NIOCore
import SwitchyardScrub

/// The state machine behind response scrubbing of an OpenAI SSE stream.
///
/// Upstream bytes are cut into events at blank lines (an event may arrive split across chunks).
/// Each `chat.completion.chunk` has its `delta.content` and tool-call argument deltas fed to a
/// streaming scrubber per choice (and per tool call), which holds back only the tail that could
/// still become a match. Held text is flushed as an extra delta just before the choice's
/// `finish_reason` event (or before `[DONE]`, or at the end). A blocked value or a scrub that
/// cannot finish ends the stream with one error event, never with the value.
struct SSEScrubState {
    let policy: String
    let scrubber: Scrubber
    let session: ScrubSession?
    private var pending: [UInt8] = []
    /// Streaming scrubbers by text slot: `content` of choice N, or tool call T of choice N.
    private var slots: [Slot: StreamingScrubber] = [:]
    /// The last chunk seen, as the template for synthesized flush events.
    private var template: JSONObject?
    private(set) var failed = false

    enum Slot: Hashable, Comparable {
        case content(choice: Int)
        case toolArguments(choice: Int, tool: Int)

        var choice: Int {
            switch self {
            case .content(let choice), .toolArguments(let choice, _): choice
            }
        }
    }

    init(policy: String, scrubber: Scrubber, session: ScrubSession?) {
        self.policy = policy
        self.scrubber = scrubber
        self.session = session
    }

    /// Takes one upstream chunk; returns the bytes that may go to the client now.
    mutating func consume(_ chunk: ByteBuffer) -> [UInt8] {
        guard !failed else { return [] }
        pending.append(contentsOf: chunk.readableBytesView)
        var out: [UInt8] = []
        while !failed, let (end, next) = Self.eventBoundary(in: pending) {
            let event = Array(pending[..<end])
            pending.removeSubrange(..<next)
            out += process(event)
        }
        return out
    }

    /// The upstream ended: process what is left and flush every held tail.
    mutating func finish() -> [UInt8] {
        guard !failed else { return [] }
        var out: [UInt8] = []
        if !pending.isEmpty {
            let event = pending
            pending = []
            out += process(event)
        }
        if !failed { out += flush(choices: nil) }
        return out
    }

    /// Index of the end of the first event and of the start of the next (`\n\n` or `\r\n\r\n`).
    private static func eventBoundary(in bytes: [UInt8]) -> (Int, Int)? {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A {
                if bytes[i + 1] == 0x0A { return (i, i + 2) }
                if bytes[i + 1] == 0x0D, i + 2 < bytes.count, bytes[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    private mutating func process(_ event: [UInt8]) -> [UInt8] {
        let text = String(decoding: event, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let dataIndex = lines.firstIndex(where: { $0.hasPrefix("data:") }) else {
            return event + [0x0A, 0x0A]
        }
        var payload = lines[dataIndex].dropFirst(5)
        if payload.first == " " { payload = payload.dropFirst() }
        if payload == "[DONE]" {
            return flush(choices: nil) + event + [0x0A, 0x0A]
        }
        guard case .object(var object)? = try? JSONParser.parse(String(payload)), case .array(var choices)? = object["choices"] else {
            return event + [0x0A, 0x0A]
        }
        template = object
        var before: [UInt8] = []
        var changed = false
        for i in choices.indices {
            guard case .object(var choice) = choices[i] else { continue }
            let index = choice["index"]?.intValue ?? i
            if case .object(var delta)? = choice["delta"] {
                if case .string(let content)? = delta["content"] {
                    guard let safe = feed(content, slot: .content(choice: index)) else { return errorEvent() }
                    if safe != content {
                        delta["content"] = .string(safe)
                        changed = true
                    }
                }
                if case .array(var calls)? = delta["tool_calls"] {
                    for j in calls.indices {
                        guard case .object(var call) = calls[j], case .object(var function)? = call["function"],
                            case .string(let arguments)? = function["arguments"]
                        else { continue }
                        let tool = call["index"]?.intValue ?? j
                        guard let safe = feed(arguments, slot: .toolArguments(choice: index, tool: tool)) else { return errorEvent() }
                        if safe != arguments {
                            function["arguments"] = .string(safe)
                            call["function"] = .object(function)
                            calls[j] = .object(call)
                            delta["tool_calls"] = .array(calls)
                            changed = true
                        }
                    }
                }
                choice["delta"] = .object(delta)
                choices[i] = .object(choice)
            }
            if let reason = choice["finish_reason"], reason != .null {
                before += flush(choices: [index])
                if failed { return before }
            }
        }
        guard changed else { return before + event + [0x0A, 0x0A] }
        object["choices"] = .array(choices)
        lines[dataIndex] = Substring("data: " + JSONWriter.string(.object(object)))
        return before + Array(lines.joined(separator: "\n").utf8) + [0x0A, 0x0A]
    }

    /// Feeds one delta to its slot's scrubber; nil when the stream must end (blocked, failed).
    private mutating func feed(_ text: String, slot: Slot) -> String? {
        var stream = slots[slot] ?? scrubber.stream(direction: .response, session: session)
        defer { slots[slot] = stream }
        do {
            switch try stream.feed(text) {
            case .blocked:
                failed = true
                return nil
            case .scrubbed(let safe, _):
                return safe
            }
        } catch {
            failed = true
            return nil
        }
    }

    /// Emits what the scrubbers of `choices` (all when nil) still hold, as synthesized deltas.
    private mutating func flush(choices: Set<Int>?) -> [UInt8] {
        var out: [UInt8] = []
        for slot in slots.keys.sorted() where choices?.contains(slot.choice) ?? true {
            var stream = slots.removeValue(forKey: slot)!
            let held: String
            do {
                guard case .scrubbed(let text, _) = try stream.finish() else {
                    failed = true
                    return out + errorEvent()
                }
                held = text
            } catch {
                failed = true
                return out + errorEvent()
            }
            guard !held.isEmpty else { continue }
            let delta: JSONValue =
                switch slot {
                case .content: ["content": .string(held)]
                case .toolArguments(_, let tool): ["tool_calls": [["index": .number(tool), "function": ["arguments": .string(held)]]]]
                }
            var object = template ?? JSONObject()
            object["choices"] = [["index": .number(slot.choice), "delta": delta, "finish_reason": nil]]
            object["usage"] = nil
            out += Array("data: ".utf8) + JSONWriter.bytes(.object(object)) + [0x0A, 0x0A]
        }
        return out
    }

    private mutating func errorEvent() -> [UInt8] {
        failed = true
        let error = GatewayError(
            .contentBlocked, status: 502,
            message: "The answer was stopped by the '\(policy)' policy: it contained data the policy blocks or could not scrub.")
        return Array("data: ".utf8) + error.body + [0x0A, 0x0A]
    }
}
