/// A media type or range (`type/subtype`, either part `*`), parameters dropped, in lower case.
struct MediaRange: Hashable, Sendable {
    let type: String
    let subtype: String

    /// Parses `text` such as `application/json; charset=utf-8`; nil when it has no `type/subtype`.
    init?(_ text: String) {
        let essence = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = essence.trimmingSpaces().lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              parts.allSatisfy({ $0.allSatisfy(Self.isTokenCharacter) }),
              !(parts[0] == "*" && parts[1] != "*") else { return nil }
        type = String(parts[0])
        subtype = String(parts[1])
    }

    /// Whether bodies of this type are JSON.
    var isJSON: Bool { subtype == "json" || subtype.hasSuffix("+json") }

    /// How closely this range covers `concrete`: 3 exact, 2 `type/*`, 1 `*/*`, nil not at all.
    func specificity(for concrete: MediaRange) -> Int? {
        if type == "*" { return 1 }
        guard type == concrete.type else { return nil }
        if subtype == "*" { return 2 }
        return subtype == concrete.subtype ? 3 : nil
    }

    /// The entry of `candidates` that best covers `concrete`.
    static func best<T>(for concrete: MediaRange, in candidates: [T], range: (T) -> MediaRange) -> T? {
        var best: (T, Int)?
        for candidate in candidates {
            if let score = range(candidate).specificity(for: concrete), score > (best?.1 ?? 0) {
                best = (candidate, score)
            }
        }
        return best?.0
    }

    // RFC 9110 token characters.
    private static func isTokenCharacter(_ c: Character) -> Bool {
        guard c.isASCII, let ascii = c.asciiValue else { return false }
        if c.isLetter || c.isNumber { return true }
        return "!#$%&'*+-.^_`|~".utf8.contains(ascii)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }
}
