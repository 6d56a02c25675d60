import Foundation

/// Runs one of the repository's Python scripts (scripts/interop/…), which the tests use as
/// independent implementations and raw clients. The broker under test runs in this process, so
/// the wait must not block the cooperative pool: the output goes to a file and termination is
/// awaited through the process's handler.
enum PythonScript {
    /// `scripts/interop/NAME` in this repository.
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/interop/\(name)").path
    }

    /// Runs `python3 scripts/interop/NAME arguments…`; returns its exit status, its standard output
    /// and its standard error.
    static func run(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path(name)] + arguments
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-python-\(UUID().uuidString)")
        let errorsURL = outputURL.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        FileManager.default.createFile(atPath: errorsURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorsURL)
        }
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorsURL)
        process.standardOutput = output
        process.standardError = errors
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in done.resume() }
            do { try process.run() } catch { done.resume() }
        }
        try output.close()
        try errors.close()
        return (
            process.terminationStatus, String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            String(decoding: try Data(contentsOf: errorsURL), as: UTF8.self)
        )
    }
}
