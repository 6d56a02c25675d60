import Foundation

/// The Python baselines (jsonschema-rs and jsonschema from PyPI), run per case by
/// `scripts/bench/schema_baseline.py` in a child process.
struct Baseline {
    let python: String
    let script: String
    let corpus: String
    let budget: Duration
    let formatAssertion: Bool

    /// What the script printed for one case.
    struct Output: Decodable {
        let versions: [String: String]
        let missing: [String]
        let results: [String: [String: Double]]
    }

    /// Runs the script on `name`; throws with its standard error if it fails.
    func run(case name: String) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let seconds = Double(budget.components.seconds) + Double(budget.components.attoseconds) / 1e18
        process.arguments = [python, script, "--corpus", corpus, "--case", name, "--budget", String(seconds)]
            + (formatAssertion ? [] : ["--no-format-assertion"])
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BaselineFailure(message: String(decoding: message, as: UTF8.self))
        }
        return try JSONDecoder().decode(Output.self, from: data)
    }
}

/// The baseline script failed (its standard error says why).
struct BaselineFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { "baseline failed: \(message)" }
}
