import Foundation
import Store
import Testing

/// The database holds personal data and the audit log: its files are readable by the node's user only.
@Suite struct FileModeTests {
    /// The permission bits of `path`, or nil when it does not exist.
    static func mode(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func aNewDatabaseAndItsWALAndSharedMemoryAre0600() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        // A committed write leaves the WAL and its shared-memory index next to the database while it is open.
        try await store.addAgency(Agency(id: "moj", name: "Ministry of Justice"))
        for suffix in ["", "-wal", "-shm"] {
            #expect(Self.mode(folder.databasePath + suffix) == 0o600, "rabt.sqlite\(suffix)")
        }
        try await store.close()
    }

    @Test func filesLeftReadableByAnOlderVersionAreNarrowedOnOpen() async throws {
        let folder = try TemporaryFolder()
        let first = try await SQLiteStore.open(folder)
        try await first.addAgency(Agency(id: "moj", name: "Ministry of Justice"))
        try await first.close()
        let wal = folder.databasePath + "-wal"
        FileManager.default.createFile(atPath: wal, contents: Data())
        for path in [folder.databasePath, wal] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        let second = try await SQLiteStore.open(folder)
        #expect(try await second.agency(id: "moj") != nil)
        for suffix in ["", "-wal", "-shm"] {
            #expect(Self.mode(folder.databasePath + suffix) == 0o600, "rabt.sqlite\(suffix)")
        }
        try await second.close()
    }
}
