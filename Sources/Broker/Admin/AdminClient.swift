import Delivery
import Foundation

/// How a client reaches the broker's admin API: its URL and the operator's TLS identity.
public struct BrokerConnection: Sendable {
    /// e.g. `https://127.0.0.1:8443`.
    public var brokerURL: String
    /// The exchange CA that issued the broker's certificate.
    public var caFile: String
    /// The operator's client certificate and key.
    public var certificateFile: String
    public var keyFile: String
    /// Timeout of one call.
    public var timeout: Duration

    public init(brokerURL: String, caFile: String, certificateFile: String, keyFile: String, timeout: Duration = .seconds(15)) {
        self.brokerURL = brokerURL.hasSuffix("/") ? String(brokerURL.dropLast()) : brokerURL
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.timeout = timeout
    }

    var tls: TLSSettings {
        TLSSettings(caFile: caFile, clientCertificateFile: certificateFile, clientKeyFile: keyFile)
    }
}

/// Why an admin call did not succeed.
public struct AdminClientError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which the CLI maps to its exit code.
    public enum Kind: Sendable {
        /// The broker answered with a problem (refused, not found, invalid input).
        case refused
        /// The broker could not be reached (DNS, connect, TLS).
        case unreachable
        /// The broker answered something the client cannot read.
        case badAnswer
    }

    public var kind: Kind
    /// The HTTP status, when the broker answered.
    public var status: Int?
    /// The problem `type` name, when the broker answered with one.
    public var problemType: String?
    public var message: String
    /// Located faults the broker listed (e.g. contract validation errors).
    public var violations: [Problem.Violation]

    public var description: String { message }
}

/// The operator's client of the admin API, used by the `rabt` CLI and the demo.
public struct AdminClient: Sendable {
    let connection: BrokerConnection
    let transport: any Transport

    public init(connection: BrokerConnection, transport: any Transport) {
        self.connection = connection
        self.transport = transport
    }

    /// Registers an agency.
    public func addAgency(_ registration: AgencyRegistration) async throws(AdminClientError) -> AgencyView {
        try await call("POST", "/admin/agencies", json: registration)
    }

    /// Lists the registered agencies.
    public func agencies() async throws(AdminClientError) -> [AgencyView] {
        try await call("GET", "/admin/agencies")
    }

    /// Registers a signature key of an agency.
    public func addKey(agency: String, _ registration: KeyRegistration) async throws(AdminClientError) -> KeyView {
        try await call("POST", "/admin/agencies/\(agency)/keys", json: registration)
    }

    /// Sets where a provider agency serves its contracts.
    public func setEndpoint(provider: String, _ setting: EndpointSetting) async throws(AdminClientError) -> EndpointView {
        try await call("PUT", "/admin/agencies/\(provider)/endpoint", json: setting)
    }

    /// Publishes a contract document (YAML or JSON text).
    public func publishContract(_ text: String, fileName: String) async throws(AdminClientError) -> ContractView {
        let isJSON = fileName.lowercased().hasSuffix(".json")
        return try await call(
            "POST", "/admin/contracts", body: Array(text.utf8),
            contentType: isJSON ? "application/json" : "application/yaml"
        )
    }

    /// Lists the published contracts.
    public func contracts() async throws(AdminClientError) -> [ContractView] {
        try await call("GET", "/admin/contracts")
    }

    private func call<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, json: Body
    ) async throws(AdminClientError) -> Answer {
        let body: [UInt8]
        do {
            body = Array(try AdminJSON.encoder.encode(json))
        } catch {
            throw AdminClientError(kind: .badAnswer, message: "Could not encode the request: \(error)", violations: [])
        }
        return try await call(method, path, body: body, contentType: "application/json")
    }

    private func call<Answer: Decodable>(
        _ method: String, _ path: String, body: [UInt8] = [], contentType: String? = nil
    ) async throws(AdminClientError) -> Answer {
        var headers = [HTTPHeader(name: "Accept", value: "application/json")]
        if let contentType { headers.append(HTTPHeader(name: "Content-Type", value: contentType)) }
        let request = OutboundRequest(
            method: method, url: connection.brokerURL + path, headers: headers, body: body,
            timeout: connection.timeout, tls: connection.tls
        )
        let response: InboundResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw AdminClientError(
                kind: .unreachable, message: "Cannot reach the broker at \(connection.brokerURL): \(error.message)",
                violations: []
            )
        }
        guard (200..<300).contains(response.status) else {
            throw Self.refusal(response)
        }
        do {
            return try AdminJSON.decoder.decode(Answer.self, from: Data(response.body))
        } catch {
            throw AdminClientError(
                kind: .badAnswer, status: response.status,
                message: "The broker answered \(response.status) with a body this client cannot read.", violations: []
            )
        }
    }

    private static func refusal(_ response: InboundResponse) -> AdminClientError {
        guard let problem = try? AdminJSON.decoder.decode(Problem.Document.self, from: Data(response.body)) else {
            return AdminClientError(
                kind: .badAnswer, status: response.status,
                message: "The broker answered \(response.status) without problem details.", violations: []
            )
        }
        let name = problem.type.split(separator: ":").last.map(String.init) ?? problem.type
        return AdminClientError(
            kind: .refused, status: response.status, problemType: name,
            message: "\(problem.title): \(problem.detail)", violations: problem.errors ?? []
        )
    }
}

/// The admin API's JSON conventions: ISO 8601 dates, sorted keys.
enum AdminJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
