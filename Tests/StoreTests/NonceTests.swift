import Foundation
import Store
import Testing

/// SQLite keeps nonces across a restart; the rest of the nonce rules are checked on both engines
/// by `NonceConformanceTests`.
@Suite struct NonceTests {
    @Test func replayIsRefusedAfterReopening() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualClock()
        let first = try await SQLiteStore.open(folder, clock: clock)
        #expect(try await first.registerNonce("n-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(300)))
        try await first.close()
        let second = try await SQLiteStore.open(folder, clock: clock)
        #expect(try await !second.registerNonce("n-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(300)))
        try await second.close()
    }
}
