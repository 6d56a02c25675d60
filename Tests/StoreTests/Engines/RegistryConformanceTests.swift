import Audit
import Foundation
import Store
import Testing

/// The registry behaviour the broker relies on, run against every available engine.
@Suite struct RegistryConformanceTests {
    static let epoch = Date(timeIntervalSince1970: 1_795_000_000)

    static func key(_ id: String, agency: String, createdAt: Date = epoch) -> SignatureKey {
        SignatureKey(keyId: id, agencyId: agency, algorithm: .ed25519, publicKeyPEM: "PEM-\(id)", createdAt: createdAt)
    }

    static func contract(_ provider: String, _ service: String, _ version: Int, document: String, consumers: [String]) -> ContractRecord {
        ContractRecord(
            provider: provider, service: service, version: version, document: document, format: .yaml,
            consumers: consumers, publishedAt: epoch.addingTimeInterval(Double(version))
        )
    }

    static func principal(_ name: String, _ role: PrincipalRecord.Role) -> PrincipalRecord {
        PrincipalRecord(
            name: name, role: role, certificateFingerprint: "fp-\(name)", subject: "CN=\(name)",
            notAfter: epoch.addingTimeInterval(86_400), createdAt: epoch
        )
    }

    @Test(arguments: StoreEngine.available)
    func agenciesAreStoredListedAndSuspended(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore { store async throws in
                try await store.addAgency(Agency(id: "mol", name: "Labour", createdAt: Self.epoch.addingTimeInterval(0.1234)), recording: nil)
                try await store.addAgency(Agency(id: "moj", name: "Justice", createdAt: Self.epoch), recording: nil)
                #expect(try await store.agencies().map(\.id) == ["moj", "mol"])
                let mol = try #require(try await store.agency(id: "mol"))
                #expect(mol.name == "Labour" && mol.status == .active)
                #expect(mol.createdAt == Date(timeIntervalSince1970: 1_795_000_000.123))
                #expect(try await store.agency(id: "nope") == nil)
                let duplicate = await storeError { try await store.addAgency(Agency(id: "mol", name: "Other"), recording: nil) }
                #expect(duplicate?.code == .conflict)

                let suspended = try await store.setAgencyStatus(id: "moj", status: .suspended, recording: nil)
                #expect(suspended.status == .suspended)
                #expect(try await store.agency(id: "moj")?.status == .suspended)
                let missing = await storeError { try await store.setAgencyStatus(id: "nope", status: .active, recording: nil) }
                #expect(missing?.code == .notFound)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func keysAreRegisteredRevokedAndRotated(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore { store async throws in
                let orphan = await storeError { try await store.addKey(Self.key("k0", agency: "nope"), recording: nil) }
                #expect(orphan?.code == .notFound)
                try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: nil)
                try await store.addKey(Self.key("k2", agency: "mol", createdAt: Self.epoch.addingTimeInterval(10)), recording: nil)
                try await store.addKey(Self.key("k1", agency: "mol"), recording: nil)
                let duplicate = await storeError { try await store.addKey(Self.key("k1", agency: "mol"), recording: nil) }
                #expect(duplicate?.code == .conflict)
                #expect(try await store.keys(agency: "mol").map(\.keyId) == ["k1", "k2"])
                #expect(try await store.key(id: "k1")?.publicKeyPEM == "PEM-k1")

                let early = Self.epoch.addingTimeInterval(100)
                #expect(try await store.revokeKey(id: "k1", at: early, recording: nil).revokedAt == early)
                // A later revocation keeps the earlier instant.
                #expect(try await store.revokeKey(id: "k1", at: early.addingTimeInterval(50), recording: nil).revokedAt == early)
                let unknown = await storeError { try await store.revokeKey(id: "nope", at: early, recording: nil) }
                #expect(unknown?.code == .notFound)

                let end = Self.epoch.addingTimeInterval(500)
                let rotated = try await store.rotateKey("k2", validUntil: end, to: Self.key("k3", agency: "mol"), recording: nil)
                #expect(rotated.new.keyId == "k3" && rotated.retired.keyId == "k2" && rotated.retired.revokedAt == end)
                let noOld = await storeError {
                    _ = try await store.rotateKey("nope", validUntil: end, to: Self.key("k4", agency: "mol"), recording: nil)
                }
                #expect(noOld?.code == .notFound)
                // The failed rotation rolled back: its new key was not kept.
                #expect(try await store.key(id: "k4") == nil)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func endpointsAreSetAndReplaced(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore { store async throws in
                let endpoint = ProviderEndpoint(
                    providerId: "mol", urls: ["https://a.example", "https://b.example"], timeout: .milliseconds(2500),
                    tls: .init(caFile: "/ca.pem"), updatedAt: Self.epoch
                )
                #expect(await storeError { try await store.setEndpoint(endpoint, recording: nil) }?.code == .notFound)
                try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: nil)
                try await store.setEndpoint(endpoint, recording: nil)
                #expect(try await store.endpoint(provider: "mol") == endpoint)
                var replaced = endpoint
                replaced.urls = ["https://c.example"]
                replaced.tls = .init(clientCertificateFile: "/c.pem", clientKeyFile: "/k.pem")
                try await store.setEndpoint(replaced, recording: nil)
                #expect(try await store.endpoint(provider: "mol") == replaced)
                #expect(try await store.endpoint(provider: "other") == nil)
                replaced.urls = []
                #expect(await storeError { try await store.setEndpoint(replaced, recording: nil) }?.code == .invalidArgument)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func contractsArePublishedImmutablyAndDeprecated(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore { store async throws in
                let v1 = Self.contract("mol", "wages", 1, document: "openapi: 3.1.0 # v1", consumers: ["moj", "rop", "moj"])
                #expect(await storeError { _ = try await store.publishContract(v1, recording: nil) }?.code == .notFound)
                try await store.addAgency(Agency(id: "mol", name: "Labour"), recording: nil)
                #expect(try await store.publishContract(v1, recording: nil) == .published(v1))
                #expect(try await store.publishContract(v1, recording: nil) == .unchanged(v1))
                var changed = Self.contract("mol", "wages", 1, document: "openapi: 3.1.0 # other", consumers: [])
                #expect(await storeError { _ = try await store.publishContract(changed, recording: nil) }?.code == .conflict)
                changed.digest = "sha-256=:forged:"
                #expect(await storeError { _ = try await store.publishContract(changed, recording: nil) }?.code == .invalidArgument)
                let v2 = Self.contract("mol", "wages", 2, document: "openapi: 3.1.0 # v2", consumers: [])
                _ = try await store.publishContract(v2, recording: nil)

                #expect(try await store.contract(provider: "mol", service: "wages", version: nil)?.version == 2)
                #expect(try await store.contract(provider: "mol", service: "wages", version: 1) == v1)
                #expect(try await store.contract(provider: "mol", service: "other", version: nil) == nil)
                #expect(try await store.contracts().map(\.id) == ["mol/wages/v1", "mol/wages/v2"])
                // Publishing granted each listed consumer once.
                #expect(try await store.grants(provider: "mol", service: nil).map(\.consumer) == ["moj", "rop"])

                let sunset = Self.epoch.addingTimeInterval(1000)
                let deprecated = try await store.deprecateContract(
                    provider: "mol", service: "wages", version: 1, sunset: sunset, at: Self.epoch, recording: nil
                )
                #expect(deprecated.deprecatedAt == Self.epoch && deprecated.sunsetAt == sunset)
                let moved = try await store.deprecateContract(
                    provider: "mol", service: "wages", version: 1, sunset: sunset.addingTimeInterval(5),
                    at: Self.epoch.addingTimeInterval(9), recording: nil
                )
                #expect(moved.deprecatedAt == Self.epoch && moved.sunsetAt == sunset.addingTimeInterval(5))
                let missing = await storeError {
                    _ = try await store.deprecateContract(
                        provider: "mol", service: "wages", version: 9, sunset: sunset, at: Self.epoch, recording: nil
                    )
                }
                #expect(missing?.code == .notFound)
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func grantsAreAddedCheckedFilteredAndRevoked(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore { store async throws in
                let grant = Grant(consumer: "moj", provider: "mol", service: "wages", version: 1, createdAt: Self.epoch)
                #expect(try await !store.isGranted(consumer: "moj", provider: "mol", service: "wages", version: 1))
                #expect(try await store.addGrant(grant, recording: nil))
                #expect(try await !store.addGrant(grant, recording: nil))
                _ = try await store.addGrant(Grant(consumer: "rop", provider: "mol", service: "pensions", version: 2), recording: nil)
                _ = try await store.addGrant(Grant(consumer: "moj", provider: "mof", service: "tax", version: 1), recording: nil)
                #expect(try await store.isGranted(consumer: "moj", provider: "mol", service: "wages", version: 1))
                #expect(try await !store.isGranted(consumer: "moj", provider: "mol", service: "wages", version: 2))
                #expect(try await store.grants(provider: nil, service: nil).map(\.provider) == ["mof", "mol", "mol"])
                #expect(try await store.grants(provider: "mol", service: nil).map(\.service) == ["pensions", "wages"])
                #expect(try await store.grants(provider: "mol", service: "wages") == [grant])
                #expect(try await store.revokeGrant(consumer: "moj", provider: "mol", service: "wages", version: 1, recording: nil))
                #expect(try await !store.revokeGrant(consumer: "moj", provider: "mol", service: "wages", version: 1, recording: nil))
                #expect(try await !store.isGranted(consumer: "moj", provider: "mol", service: "wages", version: 1))
            }
        }
    }

    @Test(arguments: StoreEngine.available)
    func principalsKeepTheLastOperator(engine: StoreEngine) async throws {
        try await engine.withStore { database async throws in
            try await database.withStore { store async throws in
                try await store.addPrincipal(Self.principal("alice", .operator), recording: nil)
                try await store.addPrincipal(Self.principal("bob", .auditor), recording: nil)
                var clash = Self.principal("carol", .operator)
                clash.certificateFingerprint = "fp-alice"
                #expect(await storeError { try await store.addPrincipal(clash, recording: nil) }?.code == .conflict)
                #expect(try await store.principal(fingerprint: "fp-bob")?.name == "bob")
                #expect(try await store.principal(fingerprint: "fp-none") == nil)
                #expect(try await store.principals().map(\.name) == ["alice", "bob"])
                #expect(await storeError { _ = try await store.removePrincipal(named: "alice", recording: nil) }?.code == .conflict)
                #expect(await storeError { _ = try await store.removePrincipal(named: "zed", recording: nil) }?.code == .notFound)
                #expect(try await store.removePrincipal(named: "bob", recording: nil).role == .auditor)
                #expect(try await store.principals().map(\.name) == ["alice"])
            }
        }
    }
}
