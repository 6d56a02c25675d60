import Foundation
import Store
import Testing

/// Replay protection the broker relies on, run against every available engine.
@Suite struct NonceConformanceTests {
    @Test(arguments: StoreEngine.available)
    func aNonceIsAdmittedOncePerKeyUntilItExpires(engine: StoreEngine) async throws {
        let clock = ManualClock()
        try await engine.withStore(clock: clock) { database async throws in
            try await database.withStore { store async throws in
                let expiry = clock.now.addingTimeInterval(300)
                #expect(try await store.registerNonce("n-1", keyId: "k1", expiresAt: expiry))
                #expect(try await !store.registerNonce("n-1", keyId: "k1", expiresAt: expiry))
                #expect(try await store.registerNonce("n-1", keyId: "k2", expiresAt: expiry))
                clock.advance(by: 299)
                #expect(try await !store.registerNonce("n-1", keyId: "k1", expiresAt: clock.now.addingTimeInterval(300)))
                clock.advance(by: 1)
                // Expired: taken over, and the renewed nonce holds for its new window.
                #expect(try await store.registerNonce("n-1", keyId: "k1", expiresAt: clock.now.addingTimeInterval(300)))
                clock.advance(by: 10)
                #expect(try await !store.registerNonce("n-1", keyId: "k1", expiresAt: clock.now.addingTimeInterval(300)))
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func expiredNoncesArePrunedInBoundedBatches(engine: StoreEngine) async throws {
        let clock = ManualClock()
        try await engine.withStore(clock: clock, noncePruneLimit: 10) { database async throws in
            try await database.withStore { store async throws in
                for index in 0..<25 {
                    #expect(try await store.registerNonce("n-\(index)", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
                }
                #expect(try await store.nonceCount() == 25)
                clock.advance(by: 120)
                #expect(try await store.registerNonce("fresh-1", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
                #expect(try await store.nonceCount() == 16)
                #expect(try await store.registerNonce("fresh-2", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
                #expect(try await store.registerNonce("fresh-3", keyId: "k", expiresAt: clock.now.addingTimeInterval(60)))
                #expect(try await store.nonceCount() == 3)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func aReplayToAnotherNodeIsRefused(engine: StoreEngine) async throws {
        let clock = ManualClock()
        try await engine.withStore(clock: clock) { database async throws in
            let first = try await database.open()
            let second = try await database.open()
            let expiry = clock.now.addingTimeInterval(300)
            #expect(try await first.registerNonce("n-1", keyId: "k", expiresAt: expiry))
            #expect(try await !second.registerNonce("n-1", keyId: "k", expiresAt: expiry))
            // Twenty concurrent uses of one nonce, spread over both nodes: exactly one is admitted.
            let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    let node = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await node.registerNonce("same", keyId: "k", expiresAt: expiry) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(admitted == 1)
            try await database.close(first)
            try await database.close(second)
        }
    }
}
