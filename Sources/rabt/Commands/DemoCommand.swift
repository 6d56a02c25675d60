import ArgumentParser
import Demo
import Foundation
import Logging

/// `rabt demo`: the whole exchange on loopback, in under a minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole exchange on this machine and print each outcome.",
        discussion: """
            Creates a development PKI and an SQLite database in the working folder, starts the \
            broker over TLS with client certificates, starts sample provider agencies over HTTPS, \
            registers everything through the admin API, then performs exchanges: accepted with a \
            signed receipt, invalid payload, consumer not allowed, tampered body, wrong key, a \
            provider that fails twice then answers, a provider that is down, and an asynchronous \
            request (202 at once, delivered once the provider recovers, a repeat of its \
            Idempotency-Key answered from the first outcome). It ends with the audit log of the run. Exits 1 if any outcome is not the promised one.

            Example:
              rabt demo --workdir .rabt-demo
            """
    )

    @Option(help: "Working folder for the PKI and database (emptied first).")
    var workdir: String = ".rabt-demo"

    @Option(help: "Folder of contracts to publish (default: the sample contracts that come with rabt).")
    var contracts: String?

    @Flag(help: "Show the broker's and providers' logs.")
    var verbose = false

    func run() async throws {
        // The scenes call the sample agencies' services, so by default the demo publishes the
        // sample contracts bundled with the binary, wherever it runs, not a `contracts` folder
        // that happens to be in the current one.
        guard let contractsURL = contracts.map({ URL(fileURLWithPath: $0) }) ?? SampleContracts.folder else {
            FileHandle.standardError.write(Data("rabt demo: no sample contracts: rabt_Demo.resources is not next to the binary; name a folder with --contracts\n".utf8))
            throw ExitCode(1)
        }
        let workdirURL = URL(fileURLWithPath: workdir)
        try? FileManager.default.removeItem(at: workdirURL)
        try FileManager.default.createDirectory(at: workdirURL, withIntermediateDirectories: true)
        var logger = Logger(label: "rabt.demo")
        logger.logLevel = verbose ? .info : .critical
        let story = DemoStory(workdir: workdirURL, contracts: contractsURL, logger: logger)
        do {
            try await story.run()
        } catch {
            FileHandle.standardError.write(Data("rabt demo: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
