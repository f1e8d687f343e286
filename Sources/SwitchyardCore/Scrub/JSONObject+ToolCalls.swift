extension JSONObject {
    /// Rewrites every `tool_calls[].function.arguments` string of a message (or a streamed
    /// delta) in place.
    /// - Parameter rewrite: returns the new arguments, or nil to leave them as they are.
    /// - Returns: whether any arguments changed.
    mutating func rewriteToolCallArguments(
        _ rewrite: (String) throws(GatewayError) -> String?
    ) throws(GatewayError) -> Bool {
        guard case .array(var calls)? = self["tool_calls"] else { return false }
        var changed = false
        for j in calls.indices {
            guard case .object(var call) = calls[j], case .object(var function)? = call["function"],
                case .string(let arguments)? = function["arguments"], let rewritten = try rewrite(arguments)
            else { continue }
            function["arguments"] = .string(rewritten)
            call["function"] = .object(function)
            calls[j] = .object(call)
            changed = true
        }
        if changed { self["tool_calls"] = .array(calls) }
        return changed
    }
}
