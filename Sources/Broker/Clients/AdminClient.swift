import Contracts
import Delivery
import Foundation

/// The operator's client of the admin API, used by the `rabt` CLI and the demo.
public struct AdminClient: Sendable {
    let caller: BrokerCaller

    public init(connection: BrokerConnection, transport: any Transport) {
        caller = BrokerCaller(connection: connection, transport: transport)
    }

    /// Registers an agency.
    public func addAgency(_ registration: AgencyRegistration) async throws(BrokerClientError) -> AgencyView {
        try await caller.call("POST", "/admin/agencies", json: registration)
    }

    /// Lists the registered agencies.
    public func agencies() async throws(BrokerClientError) -> [AgencyView] {
        try await caller.call("GET", "/admin/agencies")
    }

    /// Registers a signature key of an agency.
    public func addKey(agency: String, _ registration: KeyRegistration) async throws(BrokerClientError) -> KeyView {
        try await caller.call("POST", "/admin/agencies/\(agency)/keys", json: registration)
    }

    /// Sets where a provider agency serves its contracts.
    public func setEndpoint(provider: String, _ setting: EndpointSetting) async throws(BrokerClientError) -> EndpointView {
        try await caller.call("PUT", "/admin/agencies/\(provider)/endpoint", json: setting)
    }

    /// Publishes a contract document (YAML or JSON text).
    public func publishContract(_ text: String, fileName: String) async throws(BrokerClientError) -> ContractView {
        let isJSON = fileName.lowercased().hasSuffix(".json")
        return try await caller.call(
            "POST", "/admin/contracts", body: Array(text.utf8),
            contentType: isJSON ? "application/json" : "application/yaml"
        )
    }

    /// Lists the published contracts.
    public func contracts() async throws(BrokerClientError) -> [ContractView] {
        try await caller.call("GET", "/admin/contracts")
    }

    /// One published contract version with its document.
    public func contract(provider: String, service: String, version: Int) async throws(BrokerClientError) -> ContractDetailView {
        try await caller.call("GET", Self.contractPath(provider, service) + "/versions/\(version)")
    }

    /// What changed between two published versions of a service.
    public func diffContracts(provider: String, service: String, from: Int, to: Int) async throws(BrokerClientError) -> ContractDiff {
        try await caller.call("GET", Self.contractPath(provider, service) + "/diff?from=\(from)&to=\(to)")
    }

    /// Deprecates a version; from `sunset` on, calls to it are refused.
    public func deprecateContract(
        provider: String, service: String, version: Int, sunset: Date
    ) async throws(BrokerClientError) -> ContractView {
        try await caller.call("POST", Self.contractPath(provider, service) + "/versions/\(version)/deprecate",
                              json: ContractDeprecation(sunset: sunset))
    }

    private static func contractPath(_ provider: String, _ service: String) -> String {
        "/admin/contracts/\(BrokerCaller.escape(provider))/\(BrokerCaller.escape(service))"
    }

    /// Asynchronous messages, newest first, with the counts per state.
    public func messages(states: [String] = [], provider: String? = nil, limit: Int = 100, after: String? = nil) async throws(BrokerClientError) -> MessageList {
        try await caller.call("GET", "/admin/messages" + BrokerCaller.query([
            ("state", states.isEmpty ? nil : states.joined(separator: ",")), ("provider", provider), ("limit", "\(limit)"), ("after", after),
        ]))
    }

    /// One asynchronous message, with the provider's answer once delivered.
    public func message(_ id: String) async throws(BrokerClientError) -> MessageView {
        try await caller.call("GET", "/admin/messages/\(BrokerCaller.escape(id))")
    }

    /// Sends a dead letter again, or discards it.
    public func handleDeadLetter(_ id: String, resend: Bool) async throws(BrokerClientError) -> MessageView {
        try await caller.call("POST", "/admin/messages/\(BrokerCaller.escape(id))/\(resend ? "resend" : "discard")")
    }

    /// The registered operators and auditors.
    public func principals() async throws(BrokerClientError) -> [PrincipalView] {
        try await caller.call("GET", "/admin/principals")
    }

    /// Registers an operator or auditor certificate.
    public func addPrincipal(_ registration: PrincipalRegistration) async throws(BrokerClientError) -> PrincipalView {
        try await caller.call("POST", "/admin/principals", json: registration)
    }

    /// Removes a principal; its certificate is refused from the next request on.
    public func removePrincipal(_ name: String) async throws(BrokerClientError) -> PrincipalView {
        try await caller.call("DELETE", "/admin/principals/\(BrokerCaller.escape(name))")
    }

    /// One agency with its keys and endpoint.
    public func agency(_ id: String) async throws(BrokerClientError) -> AgencyDetailView {
        try await caller.call("GET", "/admin/agencies/\(BrokerCaller.escape(id))")
    }

    /// Suspends an agency (refused on the exchange from its next request) or reactivates it.
    public func setAgency(_ id: String, suspended: Bool) async throws(BrokerClientError) -> AgencyView {
        try await caller.call("POST", "/admin/agencies/\(BrokerCaller.escape(id))/\(suspended ? "suspend" : "reactivate")")
    }

    /// An agency's signature keys with their validity.
    public func keys(agency: String) async throws(BrokerClientError) -> [KeyView] {
        try await caller.call("GET", "/admin/agencies/\(BrokerCaller.escape(agency))/keys")
    }

    /// Revokes a key now, or ends its validity at `at`.
    public func revokeKey(agency: String, keyId: String, at: Date? = nil) async throws(BrokerClientError) -> KeyView {
        try await caller.call("POST", "/admin/agencies/\(BrokerCaller.escape(agency))/keys/\(BrokerCaller.escape(keyId))/revoke",
                              json: KeyRevocation(at: at))
    }

    /// Registers a new key and keeps the old one verifying until `rotation.oldKeyValidUntil`.
    public func rotateKey(agency: String, keyId: String, _ rotation: KeyRotation) async throws(BrokerClientError) -> [KeyView] {
        try await caller.call("POST", "/admin/agencies/\(BrokerCaller.escape(agency))/keys/\(BrokerCaller.escape(keyId))/rotate",
                              json: rotation)
    }

    /// Keys of every agency that stop verifying within `days` days.
    public func expiringKeys(days: Int) async throws(BrokerClientError) -> [KeyView] {
        try await caller.call("GET", "/admin/keys/expiring?days=\(days)")
    }

    /// Grants, optionally of one provider (and service).
    public func grants(provider: String? = nil, service: String? = nil) async throws(BrokerClientError) -> [GrantView] {
        try await caller.call("GET", "/admin/grants" + BrokerCaller.query([("provider", provider), ("service", service)]))
    }

    /// Lets a consumer call a provider service version.
    public func addGrant(_ grant: GrantRequest) async throws(BrokerClientError) -> GrantView {
        try await caller.call("POST", "/admin/grants", json: grant)
    }

    /// Withdraws a grant; the consumer is refused from its next request.
    public func revokeGrant(_ grant: GrantRequest) async throws(BrokerClientError) -> GrantView {
        try await caller.call("DELETE", "/admin/grants", json: grant)
    }

    /// The node's maintenance state.
    public func maintenance() async throws(BrokerClientError) -> MaintenanceView {
        try await caller.call("GET", "/admin/maintenance")
    }

    /// Turns maintenance on (new exchanges refused, readiness false) or off.
    public func setMaintenance(_ setting: MaintenanceSetting) async throws(BrokerClientError) -> MaintenanceView {
        try await caller.call("PUT", "/admin/maintenance", json: setting)
    }

    /// Connects from Rabt to each URL of a provider's endpoint and reports what failed, if anything.
    public func testEndpoint(provider: String) async throws(BrokerClientError) -> [EndpointCheck] {
        try await caller.call("POST", "/admin/agencies/\(BrokerCaller.escape(provider))/endpoint/test")
    }
}
