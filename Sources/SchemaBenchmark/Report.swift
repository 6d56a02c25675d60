import Foundation

/// The figures of one run and their rendering as Markdown.
struct Report {
    /// One corpus case: operations per second per measure, for Rabt and each baseline.
    struct Row {
        let name: String
        let bytes: Int
        var rabt: [String: Double] = [:]
        var baselines: [String: [String: Double]] = [:]
    }

    static let measures: [(key: String, label: String)] = [
        ("valid.isValid", "valid, isValid"),
        ("valid.parseIsValid", "valid, parse + isValid"),
        ("invalid.isValid", "invalid, isValid"),
        ("invalid.validate", "invalid, all errors"),
        ("invalid.parseValidate", "invalid, parse + all errors"),
    ]
    static let rs = "jsonschema-rs", py = "jsonschema"

    let formatAssertion: Bool
    var rows: [Row] = []
    var versions: [String: String] = [:]
    var missing: Set<String> = []

    func render() -> String {
        var lines: [String] = []
        let version = { (name: String) in versions[name].map { "\(name) \($0)" } ?? "\(name) (not run)" }
        lines.append("Rabt against \(version(Self.rs)) and \(version(Self.py)) (Python \(versions["python"] ?? "?")), "
            + "format assertion \(formatAssertion ? "on" : "off"); operations per second, thread CPU time, median round.")
        lines.append("")
        lines.append("| case | size | measure | Rabt | jsonschema-rs | jsonschema | Rabt / rs | Rabt / jsonschema |")
        lines.append("|---|---|---|---|---|---|---|---|")
        var logRatios: [String: [Double]] = [:]
        for row in rows {
            for (key, label) in Self.measures {
                let rabt = row.rabt[key]
                let rs = row.baselines[Self.rs]?[key], py = row.baselines[Self.py]?[key]
                if let rabt, let rs { logRatios[key, default: []].append(log(rabt / rs)) }
                lines.append("| \(row.name) | \(Self.size(row.bytes)) | \(label) | \(Self.rate(rabt)) | \(Self.rate(rs)) | "
                    + "\(Self.rate(py)) | \(Self.ratio(rabt, rs)) | \(Self.ratio(rabt, py)) |")
            }
        }
        lines.append("")
        lines.append("Geometric mean of Rabt / jsonschema-rs over the cases:")
        lines.append("")
        lines.append("| measure | Rabt / rs |")
        lines.append("|---|---|")
        var all: [Double] = []
        for (key, label) in Self.measures {
            let logs = logRatios[key] ?? []
            all += logs
            lines.append("| \(label) | \(logs.isEmpty ? "–" : Self.format(exp(logs.reduce(0, +) / Double(logs.count)), 2)) |")
        }
        lines.append("| all | \(all.isEmpty ? "–" : Self.format(exp(all.reduce(0, +) / Double(all.count)), 2)) |")
        lines.append("")
        lines.append("Errors reported for each invalid instance: "
            + rows.map { row in
                let counts = [row.rabt["errors"], row.baselines[Self.rs]?["errors"], row.baselines[Self.py]?["errors"]]
                return "\(row.name) " + counts.map { $0.map { String(Int($0)) } ?? "–" }.joined(separator: "/")
            }.joined(separator: ", ") + " (Rabt/jsonschema-rs/jsonschema).")
        if !missing.isEmpty { lines.append("Not installed: \(missing.sorted().joined(separator: ", ")).") }
        return lines.joined(separator: "\n")
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1000 ? "\(bytes) B" : "\(format(Double(bytes) / 1000, bytes < 10_000 ? 1 : 0)) KB"
    }

    static func rate(_ value: Double?) -> String {
        guard let value else { return "–" }
        if value < 100 { return format(value, 1) }
        let digits = String(Int(value.rounded()))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return grouped
    }

    static func ratio(_ a: Double?, _ b: Double?) -> String {
        guard let a, let b, b > 0 else { return "–" }
        return format(a / b, a / b < 10 ? 2 : 0)
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
