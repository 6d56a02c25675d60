import Foundation
import Testing

/// Every committed fuzz input (the seeds, and the inputs of findings once fixed) replayed through
/// its target in an ordinary build of `rabt-fuzz`: a finding that comes back fails here, without
/// libFuzzer. Fuzzing itself is `make fuzz` (docs/fuzzing.md), not part of the tests.
struct FuzzCorpusTests {
    static let targets = ["json", "signature", "target", "pattern", "pattern-engines", "contract", "audit-export"]

    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/corpus")

    @Test(arguments: targets)
    func committedInputsReplayWithoutACrash(_ target: String) async throws {
        let directory = Self.corpus.appendingPathComponent(target)
        let inputs = try FileManager.default.contentsOfDirectory(atPath: directory.path).count
        #expect(inputs > 0, "no committed inputs for \(target)")
        let executable = RabtExecutable.url.deletingLastPathComponent().appendingPathComponent("rabt-fuzz")
        let run = try await RabtExecutable.run([target, directory.path], executable: executable)
        #expect(run.status == 0, "\(run.standardError.suffix(2000))")
        #expect(run.standardOutput == "\(target): \(inputs) inputs, no crash\n")
    }

    @Test func anUnknownTargetIsAUsageError() async throws {
        let executable = RabtExecutable.url.deletingLastPathComponent().appendingPathComponent("rabt-fuzz")
        let run = try await RabtExecutable.run(["xml", Self.corpus.path], executable: executable)
        #expect(run.status == 2)
        #expect(run.standardError.contains("usage: rabt-fuzz json|signature|target|pattern|pattern-engines|contract|audit-export"))
    }
}
