import Foundation
import Store
import Testing

@Suite struct RegistryTests {
    let created = Date(timeIntervalSince1970: 1_795_000_000.5)

    @Test func agenciesAddReadListAndSuspend() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "mol", name: "Ministry of Labour", createdAt: created))
        try await store.addAgency(Agency(id: "moj", name: "Ministry of Justice", createdAt: created))
        #expect(try await store.agency(id: "moj") == Agency(id: "moj", name: "Ministry of Justice", status: .active, createdAt: created))
        #expect(try await store.agency(id: "nope") == nil)
        #expect(try await store.agencies().map(\.id) == ["moj", "mol"])
        #expect(await storeErrorCode { try await store.addAgency(Agency(id: "moj", name: "Again")) } == .conflict)
        #expect(try await store.setAgencyStatus(id: "moj", status: .suspended).status == .suspended)
        #expect(try await store.agency(id: "moj")?.status == .suspended)
        #expect(await storeErrorCode { try await store.setAgencyStatus(id: "nope", status: .active) } == .notFound)
        try await store.close()
    }

    @Test func keysBelongToKnownAgenciesAndAreUnique() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "mol", name: "Ministry of Labour"))
        let key = SignatureKey(
            keyId: "mol-2026", agencyId: "mol", algorithm: .rsaPSSSHA512, publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            notBefore: created, notAfter: created.addingTimeInterval(86_400), createdAt: created
        )
        try await store.addKey(key)
        try await store.addKey(SignatureKey(keyId: "mol-2027", agencyId: "mol", algorithm: .ed25519, publicKeyPEM: "pem",
                                            createdAt: created.addingTimeInterval(1)))
        #expect(try await store.key(id: "mol-2026") == key)
        #expect(try await store.key(id: "other") == nil)
        #expect(try await store.keys(agency: "mol").map(\.keyId) == ["mol-2026", "mol-2027"])
        #expect(try await store.keys(agency: "moj").isEmpty)
        #expect(await storeErrorCode { try await store.addKey(key) } == .conflict)
        var foreign = key
        foreign.keyId = "moj-1"
        foreign.agencyId = "moj"
        #expect(await storeErrorCode { try await store.addKey(foreign) } == .notFound)

        let revoked = try await store.revokeKey(id: "mol-2026", at: created.addingTimeInterval(60))
        #expect(revoked.revokedAt == created.addingTimeInterval(60))
        #expect(!revoked.isValid(at: created.addingTimeInterval(61)))
        #expect(revoked.isValid(at: created.addingTimeInterval(59)))
        // A later revocation does not move an earlier one.
        #expect(try await store.revokeKey(id: "mol-2026", at: created.addingTimeInterval(600)).revokedAt == created.addingTimeInterval(60))
        #expect(await storeErrorCode { try await store.revokeKey(id: "none", at: created) } == .notFound)
        try await store.close()
    }

    @Test func endpointsUpsertPerProvider() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "moj", name: "Ministry of Justice"))
        let endpoint = ProviderEndpoint(
            providerId: "moj", urls: ["https://a.moj.example", "https://b.moj.example"], timeout: .milliseconds(2500),
            tls: .init(caFile: "certs/ca.pem", clientCertificateFile: "certs/rabt.pem", clientKeyFile: "certs/rabt.key"),
            updatedAt: created
        )
        try await store.setEndpoint(endpoint)
        #expect(try await store.endpoint(provider: "moj") == endpoint)
        let replaced = ProviderEndpoint(providerId: "moj", urls: ["https://c.moj.example"], updatedAt: created.addingTimeInterval(5))
        try await store.setEndpoint(replaced)
        #expect(try await store.endpoint(provider: "moj") == replaced)
        #expect(try await store.endpoint(provider: "mol") == nil)
        #expect(await storeErrorCode { try await store.setEndpoint(ProviderEndpoint(providerId: "mol", urls: ["https://x"])) } == .notFound)
        #expect(await storeErrorCode { try await store.setEndpoint(ProviderEndpoint(providerId: "moj", urls: [])) } == .invalidArgument)
        try await store.close()
    }

    @Test func publishedContractsAreImmutableAndGrantTheirConsumers() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        try await store.addAgency(Agency(id: "moj", name: "Ministry of Justice"))
        let v1 = ContractRecord(provider: "moj", service: "crc", version: 1, document: "openapi: 3.1.0\n", format: .yaml,
                                consumers: ["mol", "rop"], publishedAt: created)
        #expect(try await store.publishContract(v1) == .published(v1))
        #expect(v1.digest == "sha-256=:" + Data(SHA256Fixture.openapiLine).base64EncodedString() + ":")

        var again = v1
        again.publishedAt = created.addingTimeInterval(100)
        #expect(try await store.publishContract(again) == .unchanged(v1))

        let changed = ContractRecord(provider: "moj", service: "crc", version: 1, document: "openapi: 3.1.1\n", format: .yaml, consumers: ["mol"])
        #expect(await storeErrorCode { _ = try await store.publishContract(changed) } == .conflict)
        #expect(try await store.contract(provider: "moj", service: "crc", version: 1)?.document == "openapi: 3.1.0\n")

        let v2 = ContractRecord(provider: "moj", service: "crc", version: 2, document: "{}", format: .json, consumers: ["mol"], publishedAt: created)
        _ = try await store.publishContract(v2)
        #expect(try await store.contract(provider: "moj", service: "crc") == v2)
        #expect(try await store.contract(provider: "moj", service: "crc", version: 3) == nil)
        #expect(try await store.contracts().map(\.version) == [1, 2])

        let unknownProvider = ContractRecord(provider: "mof", service: "tax", version: 1, document: "{}", format: .json, consumers: [])
        #expect(await storeErrorCode { _ = try await store.publishContract(unknownProvider) } == .notFound)
        var forged = v2
        forged.version = 9
        forged.document = "{\"x\":1}"
        #expect(await storeErrorCode { _ = try await store.publishContract(forged) } == .invalidArgument)

        #expect(try await store.isGranted(consumer: "rop", provider: "moj", service: "crc", version: 1))
        #expect(try await !store.isGranted(consumer: "rop", provider: "moj", service: "crc", version: 2))
        #expect(try await !store.isGranted(consumer: "mof", provider: "moj", service: "crc", version: 1))
        try await store.close()
    }

    @Test func grantsAddAndRevoke() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteStore.open(folder)
        let grant = Grant(consumer: "mof", provider: "moj", service: "crc", version: 1, createdAt: created)
        #expect(try await store.addGrant(grant))
        #expect(try await !store.addGrant(grant))
        #expect(try await store.isGranted(consumer: "mof", provider: "moj", service: "crc", version: 1))
        #expect(try await store.grants(provider: "moj") == [grant])
        #expect(try await store.grants(provider: "mol").isEmpty)
        #expect(try await store.revokeGrant(consumer: "mof", provider: "moj", service: "crc", version: 1))
        #expect(try await !store.revokeGrant(consumer: "mof", provider: "moj", service: "crc", version: 1))
        #expect(try await !store.isGranted(consumer: "mof", provider: "moj", service: "crc", version: 1))
        try await store.close()
    }
}

enum SHA256Fixture {
    /// SHA-256 of "openapi: 3.1.0\n", computed with `printf 'openapi: 3.1.0\n' | sha256sum`.
    static let openapiLine: [UInt8] = hexBytes("f39db8e8ede3dc2457c613e2a304e6d478f6e5ec660e4746464f41e76ac77006")

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
