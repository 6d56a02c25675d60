import Demo
import Foundation
import Testing

/// `rabt demo` as a newcomer runs it, from wherever they are: `docker run rabt demo` starts in a
/// folder without the repository's `contracts/`.
@Suite struct DemoCommandTests {
    @Test func runsFromAFolderWithoutContracts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-demo-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try await RabtExecutable.run(["demo"], in: folder.path)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("contract moj/criminal-record-certificate v1"))
        #expect(run.standardOutput.contains("Every outcome was as promised."))
    }

    @Test func bundlesTheRepositorysContractsAsTheyAre() throws {
        let bundled = try #require(SampleContracts.folder, "rabt_Demo.resources is missing")
        let repository = TestExchange.contracts.resolvingSymlinksInPath()
        let files = (FileManager.default.enumerator(at: repository, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
            .filter { $0.pathExtension == "yaml" }
        #expect(files.count >= 3)
        let names = try FileManager.default.contentsOfDirectory(atPath: bundled.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.sorted() == files.map(\.lastPathComponent).sorted())
        for file in files {
            let copy = bundled.appendingPathComponent(file.lastPathComponent)
            #expect(try Data(contentsOf: copy) == Data(contentsOf: file), "\(file.lastPathComponent) differs from contracts/")
        }
    }
}
