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
}
