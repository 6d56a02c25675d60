import Foundation
import Testing

/// The `rabt` binary built next to the test bundle, run as a user would run it.
enum RabtExecutable {
    /// What one run printed and how it exited.
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The built binary: `make test` builds every product before running the tests.
    static var url: URL {
        let products = Bundle.main.bundleURL.lastPathComponent.hasSuffix(".xctest")
            ? Bundle.main.bundleURL.deletingLastPathComponent()
            : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return products.appendingPathComponent("rabt")
    }

    /// Runs `rabt arguments…` (or another `executable`) in `directory`. The wait happens in the
    /// termination handler, so the cooperative pool is never blocked; output goes through files,
    /// so a full pipe cannot stall it.
    static func run(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], executable: URL = url
    ) async throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "rabt is not built at \(url.path); run `swift build` first")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-cli-\(UUID().uuidString)")
        let outURL = scratch.appendingPathExtension("out"), errURL = scratch.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let launched: Bool = await withCheckedContinuation { done in
            process.terminationHandler = { _ in done.resume(returning: true) }
            do { try process.run() } catch { done.resume(returning: false) }
        }
        try out.close()
        try err.close()
        try #require(launched, "could not start \(executable.path)")
        return Run(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        )
    }
}
