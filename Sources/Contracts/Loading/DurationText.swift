/// Durations written as in `x-exchange`: one or more number–unit pairs, largest unit first,
/// e.g. `100ms`, `5s`, `2m`, `24h`, `1h30m`. Units: `d`, `h`, `m`, `s`, `ms`.
public enum DurationText {
    private static let units: [(name: String, milliseconds: Int64)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// The duration `text` denotes, or nil when it is not in the format above.
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnit = -1
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(letters.count)
            guard let unit = units.firstIndex(where: { $0.name == letters }), unit > lastUnit else { return nil }
            lastUnit = unit
            let (product, overflow) = amount.multipliedReportingOverflow(by: units[unit].milliseconds)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    /// `duration` in the same notation, e.g. `1h30m`, `250ms`, `0s`; sub-millisecond parts are dropped.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var milliseconds = seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return "0s" }
        var out = ""
        for unit in units where milliseconds >= unit.milliseconds {
            out += "\(milliseconds / unit.milliseconds)\(unit.name)"
            milliseconds %= unit.milliseconds
        }
        return out
    }
}
