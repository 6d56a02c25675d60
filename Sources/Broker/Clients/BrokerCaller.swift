import Delivery
import Foundation
import HTTPTypes

/// How a client reaches the broker's admin and audit APIs: its URL and the caller's TLS identity.
public struct BrokerConnection: Sendable {
    /// e.g. `https://127.0.0.1:8443`.
    public var brokerURL: String
    /// The exchange CA that issued the broker's certificate.
    public var caFile: String
    /// The operator's or auditor's client certificate and key.
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

/// Why a call to the admin or audit API did not succeed.
public struct BrokerClientError: Error, Sendable, CustomStringConvertible {
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

/// The HTTP side shared by the admin and audit clients: one call, problem details turned into
/// ``BrokerClientError``s.
struct BrokerCaller: Sendable {
    var connection: BrokerConnection
    let transport: any Transport

    /// A query string, `?name=value&…`, of the pairs that have a value, values percent-encoded.
    static func query(_ pairs: [(String, String?)]) -> String {
        let present = pairs.compactMap { name, value in value.map { "\(name)=\(escape($0))" } }
        return present.isEmpty ? "" : "?" + present.joined(separator: "&")
    }

    /// A path segment or query value, percent-encoded (unreserved characters kept).
    static func escape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Sends a JSON body and decodes a JSON answer.
    func call<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, json: Body
    ) async throws(BrokerClientError) -> Answer {
        let body: [UInt8]
        do {
            body = Array(try AdminJSON.encoder.encode(json))
        } catch {
            throw BrokerClientError(kind: .badAnswer, message: "Could not encode the request: \(error)", violations: [])
        }
        return try await call(method, path, body: body, contentType: "application/json")
    }

    /// Sends a request and decodes a JSON answer.
    func call<Answer: Decodable>(
        _ method: String, _ path: String, body: [UInt8] = [], contentType: String? = nil
    ) async throws(BrokerClientError) -> Answer {
        let response = try await send(method, path, body: body, contentType: contentType)
        do {
            return try AdminJSON.decoder.decode(Answer.self, from: Data(response.body))
        } catch {
            throw BrokerClientError(
                kind: .badAnswer, status: response.status,
                message: "The broker answered \(response.status) with a body this client cannot read.", violations: []
            )
        }
    }

    /// Sends a request; a non-2xx answer is thrown as the problem it carries. With `responseFile`
    /// the body of a successful answer is written there instead of memory.
    func send(
        _ method: String, _ path: String, body: [UInt8] = [], contentType: String? = nil,
        accept: String = "application/json", responseFile: String? = nil
    ) async throws(BrokerClientError) -> InboundResponse {
        var headers: HTTPFields = [.accept: accept]
        if let contentType { headers[.contentType] = contentType }
        var request = OutboundRequest(
            method: method, url: connection.brokerURL + path, headers: headers, body: body,
            timeout: connection.timeout, tls: connection.tls
        )
        request.responseFile = responseFile
        var response: InboundResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw BrokerClientError(
                kind: .unreachable, message: "Cannot reach the broker at \(connection.brokerURL): \(error.message)",
                violations: []
            )
        }
        if let responseFile, !(200..<300).contains(response.status) {
            response.body = Array((try? Data(contentsOf: URL(fileURLWithPath: responseFile))) ?? Data())
            try? FileManager.default.removeItem(atPath: responseFile)
        }
        guard (200..<300).contains(response.status) else {
            throw Self.refusal(response)
        }
        return response
    }

    private static func refusal(_ response: InboundResponse) -> BrokerClientError {
        guard let problem = try? AdminJSON.decoder.decode(Problem.Document.self, from: Data(response.body)) else {
            return BrokerClientError(
                kind: .badAnswer, status: response.status,
                message: "The broker answered \(response.status) without problem details.", violations: []
            )
        }
        let name = problem.type.split(separator: ":").last.map(String.init) ?? problem.type
        return BrokerClientError(
            kind: .refused, status: response.status, problemType: name,
            message: "\(problem.title): \(problem.detail)", violations: problem.errors ?? []
        )
    }
}


/// The admin and audit APIs' JSON conventions: ISO 8601 dates, sorted keys.
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
