import Audit
import Foundation
@testable import Store
import Testing

/// Admin changes commit together with their audit entry, which carries the digests of the
/// target's record before and after; run against every available engine.
@Suite struct AdminAuditConformanceTests {
    static let created = Date(timeIntervalSince1970: 1_795_000_000)

    static func record(_ kind: AuditEvent.Kind, _ target: String) -> AdminRecord {
        AdminRecord(kind, actor: "operator:alice", target: target, detail: "test")
    }

    /// The digest an entry carries for `snapshot`.
    static func digest(_ snapshot: CanonicalJSON?) throws -> String? {
        try snapshot.map { try AdminRecord.digest($0) }
    }

    @Test(arguments: StoreEngine.available)
    func aChangeAndItsEntryCommitTogetherWithBeforeAndAfterDigests(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            let agency = Agency(id: "mol", name: "Ministry of Labour", createdAt: Self.created)
            try await store.addAgency(agency, recording: Self.record(.agencyAdded, "mol"))
            let suspended = try await store.setAgencyStatus(id: "mol", status: .suspended, recording: Self.record(.agencyStatusSet, "mol"))

            let entries = try await store.auditEntries(after: nil, limit: 10)
            #expect(entries.map(\.event.kind) == [.agencyAdded, .agencyStatusSet])
            let added = entries[0].event, statusSet = entries[1].event
            #expect(added.actor == "operator:alice" && added.target == "mol" && added.detail == "test")
            #expect(added.before == nil)
            // The digest covers the record's canonical JSON, which anyone holding the record can rebuild.
            let expected: CanonicalJSON = .object([
                "id": .string("mol"), "name": .string("Ministry of Labour"), "status": .string("active"),
                "createdAt": .string("2026-11-18T11:06:40.000Z"),
            ])
            #expect(added.after == (try AdminRecord.digest(expected)))
            #expect(statusSet.before == added.after)
            #expect(statusSet.after == (try Self.digest(suspended.snapshot)))
            #expect(statusSet.after != statusSet.before)
            #expect(suspended.status == .suspended)
            #expect(try await store.verifyAuditTree().isIntact)
        }
    }

    @Test(arguments: StoreEngine.available)
    func everyRegistryChangeRecordsItsTargetBeforeAndAfter(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            var expected: [(kind: AuditEvent.Kind, before: CanonicalJSON?, after: CanonicalJSON?)] = []
            try await store.addAgency(Agency(id: "moj", name: "Justice", createdAt: Self.created), recording: Self.record(.agencyAdded, "moj"))
            let agency = try #require(try await store.agency(id: "moj"))
            expected.append((.agencyAdded, nil, agency.snapshot))

            let key = SignatureKey(keyId: "k1", agencyId: "moj", algorithm: .ed25519, publicKeyPEM: "PEM-1", createdAt: Self.created)
            try await store.addKey(key, recording: Self.record(.keyAdded, "moj/k1"))
            let storedKey = try #require(try await store.key(id: "k1"))
            expected.append((.keyAdded, nil, storedKey.snapshot))
            let revoked = try await store.revokeKey(id: "k1", at: Self.created.addingTimeInterval(60), recording: Self.record(.keyRevoked, "moj/k1"))
            expected.append((.keyRevoked, storedKey.snapshot, revoked.snapshot))

            let endpoint = ProviderEndpoint(providerId: "moj", urls: ["https://127.0.0.1:8443"], updatedAt: Self.created)
            try await store.setEndpoint(endpoint, recording: Self.record(.endpointSet, "moj"))
            var moved = endpoint
            moved.urls = ["https://127.0.0.1:9443", "https://[::1]:9443"]
            try await store.setEndpoint(moved, recording: Self.record(.endpointSet, "moj"))
            expected.append((.endpointSet, nil, endpoint.snapshot))
            expected.append((.endpointSet, endpoint.snapshot, moved.snapshot))

            let contract = ContractRecord(provider: "moj", service: "records", version: 1, document: "openapi: 3.1.0", format: .yaml,
                                          consumers: ["mol"], publishedAt: Self.created)
            #expect(try await store.publishContract(contract, recording: Self.record(.contractPublished, "moj/records/v1")) == .published(contract))
            // Publishing the same document again changes nothing and records nothing.
            #expect(try await store.publishContract(contract, recording: Self.record(.contractPublished, "moj/records/v1")) == .unchanged(contract))
            expected.append((.contractPublished, nil, contract.snapshot))
            let deprecated = try await store.deprecateContract(
                provider: "moj", service: "records", version: 1, sunset: Self.created.addingTimeInterval(86_400), at: Self.created,
                recording: Self.record(.contractDeprecated, "moj/records/v1")
            )
            expected.append((.contractDeprecated, contract.snapshot, deprecated.snapshot))

            let grant = Grant(consumer: "rop", provider: "moj", service: "records", version: 1)
            #expect(try await store.addGrant(grant, recording: Self.record(.grantAdded, "rop")))
            expected.append((.grantAdded, nil, grant.snapshot))
            #expect(try await store.revokeGrant(consumer: "rop", provider: "moj", service: "records", version: 1, recording: Self.record(.grantRevoked, "rop")))
            expected.append((.grantRevoked, grant.snapshot, nil))

            let alice = PrincipalRecord(name: "alice", role: .operator, certificateFingerprint: "aa", subject: "CN=alice", notAfter: Self.created,
                                        createdAt: Self.created)
            try await store.initialize(operator: alice, recording: Self.record(.principalAdded, "alice"))
            expected.append((.principalAdded, nil, alice.snapshot))
            let carol = PrincipalRecord(name: "carol", role: .auditor, certificateFingerprint: "cc", subject: "CN=carol", notAfter: Self.created,
                                        createdAt: Self.created)
            try await store.addPrincipal(carol, recording: Self.record(.principalAdded, "carol"))
            expected.append((.principalAdded, nil, carol.snapshot))
            #expect(try await store.removePrincipal(named: "carol", recording: Self.record(.principalRemoved, "carol")) == carol)
            expected.append((.principalRemoved, carol.snapshot, nil))

            let events = try await store.auditEntries(after: nil, limit: 100).map(\.event)
            #expect(events.map(\.kind) == expected.map(\.kind))
            for (event, want) in zip(events, expected) {
                #expect(event.before == (try Self.digest(want.before)), "\(want.kind) before")
                #expect(event.after == (try Self.digest(want.after)), "\(want.kind) after")
            }
            #expect(try await store.verifyAuditTree().isIntact)
        }
    }

    @Test(arguments: StoreEngine.available)
    func aRefusedChangeLeavesNoEntryAndAnUnchangedTargetRecordsNothing(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: Self.record(.agencyAdded, "mol"))
            #expect(await storeError {
                try await store.addAgency(Agency(id: "mol", name: "Again"), recording: Self.record(.agencyAdded, "mol"))
            }?.code == .conflict)
            #expect(await storeError {
                try await store.setEndpoint(ProviderEndpoint(providerId: "nope", urls: ["https://127.0.0.1:1"]), recording: Self.record(.endpointSet, "nope"))
            }?.code == .notFound)
            let grant = Grant(consumer: "mol", provider: "moj", service: "records", version: 1)
            #expect(try await store.addGrant(grant, recording: Self.record(.grantAdded, "mol")))
            #expect(try await store.addGrant(grant, recording: Self.record(.grantAdded, "mol")) == false)
            #expect(try await store.revokeGrant(consumer: "mol", provider: "moj", service: "records", version: 1, recording: Self.record(.grantRevoked, "mol")))
            #expect(try await store.revokeGrant(consumer: "mol", provider: "moj", service: "records", version: 1, recording: Self.record(.grantRevoked, "mol")) == false)
            let alice = PrincipalRecord(name: "alice", role: .operator, certificateFingerprint: "aa", subject: "CN=alice", notAfter: Self.created)
            try await store.initialize(operator: alice, recording: Self.record(.principalAdded, "alice"))
            #expect(await storeError {
                try await store.initialize(operator: PrincipalRecord(name: "bob", role: .operator, certificateFingerprint: "bb", subject: "CN=bob",
                                                                    notAfter: Self.created), recording: Self.record(.principalAdded, "bob"))
            }?.code == .conflict)
            #expect(await storeError { _ = try await store.removePrincipal(named: "alice", recording: Self.record(.principalRemoved, "alice")) }?.code == .conflict)
            #expect(await storeError { try await store.addPrincipal(alice, recording: Self.record(.principalAdded, "alice")) }?.code == .conflict)
            #expect(await storeError {
                _ = try await store.deprecateContract(provider: "moj", service: "records", version: 2, sunset: Self.created, at: Self.created,
                                                      recording: Self.record(.contractDeprecated, "moj/records/v2"))
            }?.code == .notFound)

            let kinds = try await store.auditEntries(after: nil, limit: 10).map(\.event.kind)
            #expect(kinds == [.agencyAdded, .grantAdded, .grantRevoked, .principalAdded])
            let revoked = try await store.auditEntries(after: nil, limit: 10)[2].event
            #expect(revoked.before != nil && revoked.after == nil)
            #expect(try await store.principals().map(\.name) == ["alice"])
        }
    }

    @Test(arguments: StoreEngine.available)
    func rotationAddsTheNewKeyAndEndsTheOldOneInOneEntry(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, _ async throws in
            try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: nil)
            try await store.addKey(SignatureKey(keyId: "old", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "a"), recording: nil)
            let before = try #require(try await store.key(id: "old"))
            let until = Date().addingTimeInterval(86_400)
            let rotated = try await store.rotateKey(
                "old", validUntil: until, to: SignatureKey(keyId: "new", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "b"),
                recording: Self.record(.keyAdded, "mol/old")
            )
            #expect(rotated.new.keyId == "new" && rotated.retired.validUntil.map { abs($0.timeIntervalSince(until)) < 0.001 } == true)
            // A new key id that is taken fails the whole rotation: the old key keeps its end date.
            #expect(await storeError {
                _ = try await store.rotateKey("old", validUntil: Date(), to: SignatureKey(keyId: "new", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "c"),
                                              recording: Self.record(.keyAdded, "mol/old"))
            }?.code == .conflict)
            #expect(try await store.key(id: "old")?.revokedAt.map { abs($0.timeIntervalSince(until)) < 0.001 } == true)
            let entries = try await store.auditEntries(after: nil, limit: 10)
            #expect(entries.count == 1)
            #expect(entries.first?.event.before == (try Self.digest(.array([before.snapshot]))))
            #expect(entries.first?.event.after == (try Self.digest(.array([rotated.retired.snapshot, rotated.new.snapshot]))))
        }
    }

    @Test(arguments: StoreEngine.available)
    func concurrentChangesOnTwoNodesChainTheirDigests(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            let first = try await database.open(as: (any AuditStore & RegistryStore).self)
            let second = try await database.open(as: (any AuditStore & RegistryStore).self)
            try await first.addAgency(Agency(id: "moj", name: "Justice"), recording: nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    let node = index.isMultiple(of: 2) ? first : second
                    let endpoint = ProviderEndpoint(providerId: "moj", urls: ["https://127.0.0.1:\(8000 + index)"], updatedAt: Self.created)
                    group.addTask { try await node.setEndpoint(endpoint, recording: Self.record(.endpointSet, "moj")) }
                }
                try await group.waitForAll()
            }
            // Each change saw the one committed before it: every entry's `before` is the previous `after`.
            let events = try await second.auditEntries(after: nil, limit: 100).map(\.event)
            #expect(events.count == 20)
            #expect(events.first?.before == nil)
            for (previous, next) in zip(events, events.dropFirst()) {
                #expect(next.before == previous.after)
            }
            let stored = try #require(try await first.endpoint(provider: "moj"))
            #expect(events.last?.after == (try Self.digest(stored.snapshot)))
            try await database.close(first)
            try await database.close(second)
        }
    }

    @Test(arguments: StoreEngine.available)
    func aFailedAuditAppendRollsTheChangeBack(engine: StoreEngine) async throws {
        try await engine.withAuditStore { store, database async throws in
            // A gap in the log (entry 0 moved to 1): the tree cannot be continued, so the append fails
            // and the change with it.
            _ = try await store.appendAudit([AuditLogTests.event(0)], bodies: [])
            try await database.tamper("UPDATE audit_entry SET sequence = 1 WHERE sequence = 0")
            let failed = await storeError { try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: Self.record(.agencyAdded, "mol")) }
            #expect(failed != nil)
            #expect(try await store.agency(id: "mol") == nil)
            // Without a record nothing is appended, so the change goes through.
            try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: nil)
            #expect(try await store.agency(id: "mol") != nil)
        }
    }
}
