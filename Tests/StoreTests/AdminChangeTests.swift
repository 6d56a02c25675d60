import Audit
import Foundation
import Store
import Testing

/// Admin changes commit together with their audit entry, which carries the digests of the
/// target's record before and after.
@Suite struct AdminChangeTests {
    let created = Date(timeIntervalSince1970: 1_795_000_000)

    private func record(_ kind: AuditEvent.Kind, _ target: String) -> AdminRecord {
        AdminRecord(kind, actor: "operator:alice", target: target, detail: "test")
    }

    @Test func aChangeAndItsEntryCommitTogetherWithBeforeAndAfterDigests() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let agency = Agency(id: "mol", name: "Ministry of Labour", createdAt: created)
        try await store.addAgency(agency, recording: record(.agencyAdded, "mol"))
        let suspended = try await store.setAgencyStatus(id: "mol", status: .suspended, recording: record(.agencyStatusSet, "mol"))

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
        #expect(statusSet.after != statusSet.before)
        #expect(suspended.status == .suspended)
        #expect(try await store.verifyAuditTree().isIntact)
        try await store.close()
    }

    @Test func aRefusedChangeLeavesNoEntryAndAnUnchangedTargetRecordsNothing() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: record(.agencyAdded, "mol"))
        #expect(await storeErrorCode {
            try await store.addAgency(Agency(id: "mol", name: "Again"), recording: record(.agencyAdded, "mol"))
        } == .conflict)
        #expect(await storeErrorCode {
            try await store.setEndpoint(ProviderEndpoint(providerId: "nope", urls: ["https://127.0.0.1:1"]), recording: record(.endpointSet, "nope"))
        } == .notFound)
        let grant = Grant(consumer: "mol", provider: "moj", service: "records", version: 1)
        #expect(try await store.addGrant(grant, recording: record(.grantAdded, "mol")))
        #expect(try await store.addGrant(grant, recording: record(.grantAdded, "mol")) == false)
        #expect(try await store.revokeGrant(consumer: "mol", provider: "moj", service: "records", version: 1, recording: record(.grantRevoked, "mol")))
        #expect(try await store.revokeGrant(consumer: "mol", provider: "moj", service: "records", version: 1, recording: record(.grantRevoked, "mol")) == false)

        let kinds = try await store.auditEntries(after: nil, limit: 10).map(\.event.kind)
        #expect(kinds == [.agencyAdded, .grantAdded, .grantRevoked])
        let revoked = try await store.auditEntries(after: nil, limit: 10)[2].event
        #expect(revoked.before != nil && revoked.after == nil)
        try await store.close()
    }

    @Test func rotationAddsTheNewKeyAndEndsTheOldOneInOneEntry() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "mol", name: "Labour"))
        try await store.addKey(SignatureKey(keyId: "old", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "a"))
        let until = Date().addingTimeInterval(86_400)
        let rotated = try await store.rotateKey(
            "old", validUntil: until, to: SignatureKey(keyId: "new", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "b"),
            recording: record(.keyAdded, "mol/old")
        )
        #expect(rotated.new.keyId == "new" && rotated.retired.validUntil.map { abs($0.timeIntervalSince(until)) < 0.001 } == true)
        // A new key id that is taken fails the whole rotation: the old key keeps its end date.
        #expect(await storeErrorCode {
            _ = try await store.rotateKey("old", validUntil: Date(), to: SignatureKey(keyId: "new", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "c"),
                                          recording: record(.keyAdded, "mol/old"))
        } == .conflict)
        #expect(try await store.key(id: "old")?.revokedAt.map { abs($0.timeIntervalSince(until)) < 0.001 } == true)
        #expect(try await store.auditCount() == 1)
        try await store.close()
    }

    @Test func principalsAreFoundByFingerprintAndTheLastOperatorStays() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let alice = PrincipalRecord(name: "alice", role: .operator, certificateFingerprint: "aa", subject: "CN=alice,OU=operator",
                                    notAfter: created.addingTimeInterval(86_400))
        try await store.initialize(operator: alice, recording: record(.principalAdded, "alice"))
        #expect(await storeErrorCode {
            try await store.initialize(operator: PrincipalRecord(name: "bob", role: .operator, certificateFingerprint: "bb", subject: "CN=bob",
                                                                notAfter: created), recording: record(.principalAdded, "bob"))
        } == .conflict)
        let carol = PrincipalRecord(name: "carol", role: .auditor, certificateFingerprint: "cc", subject: "CN=carol,OU=auditor", notAfter: created)
        try await store.addPrincipal(carol, recording: record(.principalAdded, "carol"))
        #expect(await storeErrorCode { try await store.addPrincipal(carol) } == .conflict)
        #expect(try await store.principal(fingerprint: "cc")?.name == "carol")
        #expect(try await store.principal(fingerprint: "zz") == nil)
        #expect(try await store.principals().map(\.name) == ["alice", "carol"])
        #expect(await storeErrorCode { try await store.removePrincipal(named: "alice") } == .conflict)
        #expect(await storeErrorCode { try await store.removePrincipal(named: "nobody") } == .notFound)
        #expect(try await store.removePrincipal(named: "carol", recording: record(.principalRemoved, "carol")).role == .auditor)
        #expect(try await store.principal(fingerprint: "cc") == nil)
        #expect(try await store.auditEntries(after: nil, limit: 10).map(\.event.kind) == [.principalAdded, .principalAdded, .principalRemoved])
        try await store.close()
    }

    @Test func deprecationSetsASunsetThatALaterDeprecationMayMove() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "moj", name: "Justice"))
        _ = try await store.publishContract(ContractRecord(provider: "moj", service: "records", version: 1, document: "x", format: .yaml, consumers: []))
        let sunset = created.addingTimeInterval(30 * 86_400)
        let deprecated = try await store.deprecateContract(provider: "moj", service: "records", version: 1, sunset: sunset, at: created,
                                                           recording: record(.contractDeprecated, "moj/records/v1"))
        #expect(deprecated.deprecatedAt == created && deprecated.sunsetAt == sunset)
        let moved = try await store.deprecateContract(provider: "moj", service: "records", version: 1, sunset: sunset.addingTimeInterval(86_400),
                                                      at: sunset)
        #expect(moved.deprecatedAt == created && moved.sunsetAt == sunset.addingTimeInterval(86_400))
        #expect(await storeErrorCode { _ = try await store.deprecateContract(provider: "moj", service: "records", version: 2, sunset: sunset) } == .notFound)
        #expect(try await store.auditEntries(after: nil, limit: 10).map(\.event.kind) == [.contractDeprecated])
        try await store.close()
    }
}
