extension Detector {
    /// Every name and alias that ``named(_:)`` resolves, sorted (for "did you mean" hints).
    public static let allNames: [String] = {
        builtIns.flatMap { [$0.name] + $0.aliases }.sorted()
    }()

    /// The built-in detector with this name or alias, or `nil`.
    ///
    /// Names are exact; aliases cover LiteLLM's content-filter prebuilt names (`us_ssn`, `email`,
    /// `phone`, `visa`, `mastercard`, `amex`, `aws_access_key`, `aws_secret_key`,
    /// `github_token`) and Presidio entities (`EMAIL_ADDRESS`, `PHONE_NUMBER`, `CREDIT_CARD`,
    /// `US_SSN`, `IBAN_CODE`, `IP_ADDRESS`). Card brands resolve to `credit_card` (all brands)
    /// and `github_token` to `api_key` (all key kinds): broader, never narrower.
    public static func named(_ name: String) -> Detector? {
        byName[name]
    }

    /// Known names closest to `name`, best first (at most three), for error hints.
    public static func suggestions(for name: String) -> [String] {
        let lowered = name.lowercased()
        let threshold = max(2, lowered.count / 3)
        // Score case-insensitively, break ties by exact spelling, list `email`/`EMAIL_ADDRESS`
        // style twins once.
        var scored: [(name: String, distance: Int, exact: Int)] = []
        for candidate in allNames {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= threshold { scored.append((candidate, distance, editDistance(name, candidate))) }
        }
        scored.sort { ($0.distance, $0.exact, $0.name) < ($1.distance, $1.exact, $1.name) }
        var seen: Set<String> = []
        return scored.filter { seen.insert($0.name.lowercased()).inserted }.prefix(3).map { $0.name }
    }

    private static let byName: [String: Detector] = {
        var table: [String: Detector] = [:]
        for detector in builtIns {
            for key in [detector.name] + detector.aliases { table[key] = detector }
        }
        return table
    }()

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
