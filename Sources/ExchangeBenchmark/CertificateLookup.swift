import Agencies
import Delivery
import Demo
import Foundation
import Signing

/// The benchmark's operation: GET one certificate from the sample justice provider, directly
/// (mTLS, no broker: the baseline) or through Rabt.
enum CertificateLookup {
    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Registers the sample exchange, issues one certificate through Rabt and returns the direct
    /// request to the provider and the exchange path of the same lookup.
    static func prepare(_ exchange: LocalExchange, contracts: URL) async throws -> (direct: OutboundRequest, path: String) {
        let providerURL = exchange.providers["moj"]?.baseURL ?? ""
        try await exchange.register(
            endpoints: ["moj": providerURL, "rop": "https://127.0.0.1:9", "spf": "https://127.0.0.1:9"], contracts: contracts
        )
        let issued = try await exchange.client("mol").send(
            "POST", "/exchange/moj/criminal-record-certificate/certificates",
            json: Array(#"{"applicant":{"nationalId":"9861034521","fullName":{"first":"Layla","family":"Haddad"},"dateOfBirth":"1986-04-17"},"purpose":"employment","caseReference":"MOL-2026-1"}"#.utf8)
        )
        guard issued.status == 201,
              let object = try JSONSerialization.jsonObject(with: Data(issued.body)) as? [String: Any],
              let number = object["certificateNumber"] as? String
        else {
            throw SetupFailed(description: "could not issue the benchmark's certificate: \(issued.status) \(issued.text)")
        }
        let direct = OutboundRequest(
            method: "GET", url: providerURL + "/certificates/" + number,
            tls: TLSSettings(
                caFile: exchange.pki.caCertificate.path, clientCertificateFile: exchange.pki.rabtCertificate.path,
                clientKeyFile: exchange.pki.rabtKey.path
            )
        )
        return (direct, "/exchange/moj/criminal-record-certificate/certificates/" + number)
    }
}
