import Audit
import Foundation

/// Latencies of one series, in seconds.
struct Latencies {
    var samples: [Double] = []

    mutating func add(_ duration: Duration) {
        samples.append(duration.seconds)
    }

    func percentile(_ p: Double) -> Double {
        let sorted = samples.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Writes a line at once (unbuffered), so progress shows when the output goes to a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Formats a latency in the unit that reads best.
func format(_ seconds: Double) -> String {
    if seconds < 1e-3 { return String(format: "%.0f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
    return String(format: "%.2f s", seconds)
}

/// Formats a rate.
func rate(_ count: Int, _ duration: Duration) -> String {
    String(format: "%.0f entries/s", Double(count) / duration.seconds)
}

/// CPU time used by this process so far (user + system), in seconds.
func processCPUTime() -> Double {
    Double(clock()) / Double(CLOCKS_PER_SEC)
}

/// The peak resident memory of this process (Linux `VmHWM`), or nil where unavailable.
func peakMemory() -> String? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return nil }
    return line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces)
}

/// A realistic delivered-exchange event, about 500 bytes of canonical JSON.
func sampleEvent(_ index: Int) -> AuditEvent {
    AuditEvent(
        kind: index % 10 == 0 ? .requestRejected : .responseDelivered,
        exchangeId: "01JD6Q7W3X\(String(index, radix: 36))",
        consumer: ["mol", "rop", "mof", "moh"][index % 4],
        provider: ["moj", "mot", "msp"][index % 3],
        service: "criminal-record-certificate",
        serviceVersion: 1,
        operation: "POST /certificates",
        status: index % 10 == 0 ? 401 : 200,
        attempts: index % 10 == 0 ? nil : [AuditEvent.Attempt(url: "https://moj.example/certificates", status: 200, durationMs: 31)],
        latencyMs: 40 + index % 17,
        requestDigest: "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
        responseDigest: index % 10 == 0 ? nil : "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
        problemType: index % 10 == 0 ? "signature-invalid" : nil
    )
}

/// A deterministic generator, so runs pick the same leaves.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
