extension ContractDiff: CustomStringConvertible {
    /// The diff as text for people: `summary`.
    public var description: String { summary }

    /// The diff as text for people, one line per change under headings, e.g.
    /// `+ POST /certificates/{id}/renew (renewCertificate)`,
    /// `~ POST /certificates: request body schema changed`, `- consumers: rop`.
    public var summary: String {
        guard !isEmpty else { return "\(from) → \(to): no changes" }
        var lines = ["\(from) → \(to)"]
        func section(_ heading: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            lines.append(heading)
            lines += items.map { "  " + $0 }
        }
        section("exchange:", exchange.map(\.line))
        section("operations:", operations.map(\.line))
        section("breaking:", breaking.map { "! " + $0 })
        section("changes (\(changes.count)):", changes.map(\.line))
        return lines.joined(separator: "\n")
    }
}

extension ContractDiff.Kind {
    /// `+`, `-` or `~`.
    var symbol: String {
        switch self {
        case .added: return "+"
        case .removed: return "-"
        case .changed: return "~"
        }
    }
}

extension ContractDiff.SettingChange {
    /// `~ timeout: 5s → 10s`, `+ consumers: moi`, `- consumers: rop`.
    var line: String {
        switch (old, new) {
        case (let before?, let after?): return "\(kind.symbol) \(setting): \(before) → \(after)"
        default: return "\(kind.symbol) \(setting): \(new ?? old ?? "")"
        }
    }
}

extension ContractDiff.OperationChange {
    /// `+ POST /items (createItem)`, or `~ GET /items: responses changed (+409, -404)`.
    var line: String {
        guard kind == .changed else {
            return "\(kind.symbol) \(name)" + (operationId.map { " (\($0))" } ?? "")
        }
        let described = parts.map { part -> String in
            switch part {
            case .parameters: return "parameters changed" + (parameters.map { " (\($0.text))" } ?? "")
            case .requestBody: return "request body changed"
            case .requestBodySchema: return "request body schema changed"
            case .responses: return "responses changed" + (responses.map { " (\($0.text))" } ?? "")
            case .other: return "other fields changed"
            }
        }
        return "~ \(name): " + described.joined(separator: "; ")
    }
}

extension ContractDiff.NamedChanges {
    /// `+409, -404, ~200`.
    var text: String {
        (added.map { "+" + $0 } + removed.map { "-" + $0 } + changed.map { "~" + $0 }).joined(separator: ", ")
    }
}

extension ContractDiff.Change {
    /// `~ /info/version: "1.0.0" → "1.1.0"`, `+ /paths/~1items/post: {…}`.
    var line: String {
        switch (old, new) {
        case (let before?, let after?): return "~ \(pointer): \(before) → \(after)"
        default: return "\(kind.symbol) \(pointer): \(new ?? old ?? "")"
        }
    }
}
