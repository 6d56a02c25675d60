import Foundation

/// The registry and nonce operations both engines offer: SQLite (`SQLiteStore`) and PostgreSQL
/// (`PostgresStore`), with the same behaviour and the same error codes.
///
/// `recording` parameters append an admin audit entry, with the digests of the target's record
/// before and after, in the same transaction as the change; an unchanged target records nothing.
public protocol RegistryStore: Sendable {
    /// Registers an agency; `conflict` if the id is taken.
    func addAgency(_ agency: Agency, recording record: AdminRecord?) async throws(StoreError)
    /// The agency with `id`, or nil.
    func agency(id: String) async throws(StoreError) -> Agency?
    /// All agencies, ordered by id.
    func agencies() async throws(StoreError) -> [Agency]
    /// Sets an agency's status and returns the updated record; `not-found` if unknown.
    @discardableResult
    func setAgencyStatus(id: String, status: Agency.Status, recording record: AdminRecord?) async throws(StoreError) -> Agency

    /// Registers a signature key; `not-found` if its agency is unknown, `conflict` if the key id is taken.
    func addKey(_ key: SignatureKey, recording record: AdminRecord?) async throws(StoreError)
    /// The key with `keyId`, or nil.
    func key(id keyId: String) async throws(StoreError) -> SignatureKey?
    /// An agency's keys, oldest first.
    func keys(agency agencyId: String) async throws(StoreError) -> [SignatureKey]
    /// Revokes a key at `date` and returns it; an earlier revocation is kept. `not-found` if unknown.
    @discardableResult
    func revokeKey(id keyId: String, at date: Date, recording record: AdminRecord?) async throws(StoreError) -> SignatureKey
    /// Registers `newKey` and ends `oldKeyId` at `oldValidUntil` in one transaction; `not-found` if the old key is unknown.
    func rotateKey(
        _ oldKeyId: String, validUntil oldValidUntil: Date, to newKey: SignatureKey, recording record: AdminRecord?
    ) async throws(StoreError) -> (new: SignatureKey, retired: SignatureKey)

    /// Creates or replaces a provider's endpoint; `not-found` if the provider agency is unknown.
    func setEndpoint(_ endpoint: ProviderEndpoint, recording record: AdminRecord?) async throws(StoreError)
    /// The provider's endpoint, or nil.
    func endpoint(provider providerId: String) async throws(StoreError) -> ProviderEndpoint?

    /// Publishes an immutable contract version and grants its consumers; `conflict` for a different
    /// document under a published version.
    func publishContract(_ contract: ContractRecord, recording record: AdminRecord?) async throws(StoreError) -> ContractPublication
    /// A published contract; `version` nil means the highest published version.
    func contract(provider: String, service: String, version: Int?) async throws(StoreError) -> ContractRecord?
    /// All published contracts, by provider, service and version.
    func contracts() async throws(StoreError) -> [ContractRecord]
    /// A fingerprint of the published contracts that changes with every publication or deprecation.
    func contractsRevision() async throws(StoreError) -> ContractsRevision
    /// Deprecates a published version with a sunset date; `not-found` if never published.
    func deprecateContract(
        provider: String, service: String, version: Int, sunset: Date, at now: Date, recording record: AdminRecord?
    ) async throws(StoreError) -> ContractRecord

    /// Grants a consumer one provider service version; false if it was granted already.
    @discardableResult
    func addGrant(_ grant: Grant, recording record: AdminRecord?) async throws(StoreError) -> Bool
    /// Revokes a grant; false if there was none.
    @discardableResult
    func revokeGrant(
        consumer: String, provider: String, service: String, version: Int, recording record: AdminRecord?
    ) async throws(StoreError) -> Bool
    /// Whether the consumer may call the provider service version (deny by default).
    func isGranted(consumer: String, provider: String, service: String, version: Int) async throws(StoreError) -> Bool
    /// Grants, optionally narrowed to one provider (and service).
    func grants(provider: String?, service: String?) async throws(StoreError) -> [Grant]

    /// Registers a principal; `conflict` if the name or the certificate is registered already.
    func addPrincipal(_ principal: PrincipalRecord, recording record: AdminRecord?) async throws(StoreError)
    /// The principal registered for a certificate fingerprint, or nil.
    func principal(fingerprint: String) async throws(StoreError) -> PrincipalRecord?
    /// All principals, by role then name.
    func principals() async throws(StoreError) -> [PrincipalRecord]
    /// Removes a principal; `not-found` if unknown, `conflict` if it is the last operator.
    @discardableResult
    func removePrincipal(named name: String, recording record: AdminRecord?) async throws(StoreError) -> PrincipalRecord
    /// Registers the first operator of a new exchange; `conflict` if any operator exists already.
    func initialize(operator principal: PrincipalRecord, recording record: AdminRecord) async throws(StoreError)

    /// Records a nonce for a key until `expiresAt`; false if the key used it and it has not expired.
    func registerNonce(_ nonce: String, keyId: String, expiresAt: Date) async throws(StoreError) -> Bool
    /// Number of nonce rows held, expired or not.
    func nonceCount() async throws(StoreError) -> Int
}
