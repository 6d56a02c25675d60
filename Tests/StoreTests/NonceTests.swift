import Foundation
import Store
import Testing

@Suite struct NonceTests {
    @Test func replayIsRefusedPerKey() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualClock()
        let store = try await SQLiteStore.open(folder, clock: clock)
        let expiry = clock.now.addingTimeInterval(300)
        #expect(try await store.registerNonce("n-1", keyId: "mol-2026", expiresAt: expiry))
        #expect(try await !store.registerNonce("n-1", keyId: "mol-2026", expiresAt: expiry))
        #expect(try await store.registerNonce("n-1", keyId: "rop-2026", expiresAt: expiry))
        #expect(try await store.registerNonce("n-2", keyId: "mol-2026", expiresAt: expiry))
        try await store.close()
    }

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

    @Test func expiredNonceIsAcceptedAgain() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualClock()
        let store = try await SQLiteStore.open(folder, clock: clock)
        #expect(try await store.registerNonce("n-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(300)))
        clock.advance(by: 299)
        #expect(try await !store.registerNonce("n-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(300)))
        clock.advance(by: 1)
        #expect(try await store.registerNonce("n-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(300)))
        // The renewed nonce holds for its new window.
        clock.advance(by: 10)
        #expect(try await !store.registerNonce("n-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(300)))
        try await store.close()
    }

    @Test func expiredRowsArePrunedInBoundedSteps() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualClock()
        let store = try await SQLiteStore(path: folder.databasePath, configuration: .init(noncePruneLimit: 100, now: { clock.now }))
        for index in 0..<250 {
            #expect(try await store.registerNonce("n-\(index)", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
        }
        #expect(try await store.nonceCount() == 250)
        clock.advance(by: 120)
        #expect(try await store.registerNonce("fresh-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
        #expect(try await store.nonceCount() == 151)
        #expect(try await store.registerNonce("fresh-2", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
        #expect(try await store.registerNonce("fresh-3", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
        #expect(try await store.nonceCount() == 3)
        try await store.close()
    }

    @Test func concurrentUsesOfOneNonceAdmitExactlyOne() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualClock()
        let store = try await SQLiteStore.open(folder, clock: clock)
        let expiry = clock.now.addingTimeInterval(300)
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.registerNonce("same", keyId: "k", expiresAt: expiry) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 1)
        try await store.close()
    }
}
