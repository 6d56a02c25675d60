import Audit
import Foundation
import Synchronization

/// How the demo writes: headings, scenes, answers and the audit table, in plain text.
struct DemoPrinter: Sendable {
    let write: @Sendable (String) -> Void
    private let failures = FailureCount()

    func title(_ text: String) { write("\n\(text)\n\(String(repeating: "=", count: min(text.count, 100)))") }
    func step(_ text: String) { write("\n▶ \(text)") }
    func line(_ text: String) { write("  \(text)") }
    func scene(_ letter: String, _ text: String) { write("\n  \(letter). \(text)") }

    /// Prints status, Rabt's markers and a readable form of the body.
    func answer(_ answer: ExchangeClient.Answer) {
        let marker = answer.header("exchange-error").map { "  Exchange-Error: \($0)" } ?? ""
        line("  → \(answer.status)  Exchange-Id: \(answer.header("exchange-id") ?? "-")\(marker)")
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any] else { return }
        if let detail = object["detail"] as? String { line("    detail: \(detail)") }
        for error in (object["errors"] as? [[String: Any]]) ?? [] {
            line("    \(error["pointer"] as? String ?? "") [\(error["keyword"] as? String ?? "")] \(error["message"] as? String ?? "")")
        }
        if object["detail"] == nil, let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            let text = String(decoding: data, as: UTF8.self)
            line("    body: \(text.count > 160 ? text.prefix(160) + "…" : Substring(text))")
        }
    }

    /// Says whether the outcome is the one Rabt promises.
    func expect(_ holds: Bool, _ promise: String) {
        if holds {
            line("  ✓ \(promise)")
        } else {
            failures.add()
            line("  ✗ UNEXPECTED — wanted: \(promise)")
        }
    }

    /// How many outcomes were not as promised.
    var unexpected: Int { failures.value }

    func auditTable(_ entries: [AuditEntry]) {
        line("seq  kind                      consumer→provider/service              operation                          status  problem")
        for entry in entries {
            let event = entry.event
            let route = event.provider.map { "\(event.consumer ?? event.actor ?? "-")→\($0)/\(event.service ?? "")" } ?? (event.actor ?? "-")
            let columns = [
                String(entry.sequence).padding(toLength: 4, withPad: " ", startingAt: 0),
                event.kind.rawValue.padding(toLength: 25, withPad: " ", startingAt: 0),
                String(route.prefix(38)).padding(toLength: 38, withPad: " ", startingAt: 0),
                String((event.operation ?? event.target ?? "").prefix(34)).padding(toLength: 34, withPad: " ", startingAt: 0),
                (event.status.map(String.init) ?? "").padding(toLength: 6, withPad: " ", startingAt: 0),
                event.problemType ?? "",
            ]
            line(columns.joined(separator: " "))
        }
    }
}

/// A counter shared by copies of the printer.
private final class FailureCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
