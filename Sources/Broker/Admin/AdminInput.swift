import Delivery
import Foundation
import Signing
import Store

/// Checks of admin input that give the operator a precise reason.
enum AdminInput {
    /// Agency and key ids: lower-case letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    static func checkIdentifier(_ value: String, what: String, maxLength: Int = 64) throws(Problem) {
        let allowed = value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard !value.isEmpty, value.count <= maxLength, allowed,
              let first = value.unicodeScalars.first, first != "-", first != "_", first != "."
        else {
            throw Problem(
                .badRequest,
                "The \(what) '\(value.prefix(80))' is not valid: use 1–\(maxLength) lower-case letters, digits, '-', '_' or '.', starting with a letter or digit."
            )
        }
    }

    /// Reads the key's PEM and checks it fits the declared algorithm. A PEM that also holds a
    /// private key (a certificate and its key in one file) is refused: the registry keeps the
    /// text as sent.
    static func keyAlgorithm(_ registration: KeyRegistration) throws(Problem) -> SignatureKey.Algorithm {
        guard !registration.publicKey.contains("PRIVATE KEY-----") else {
            throw Problem(
                .badRequest,
                "The key holds a private key (a 'PRIVATE KEY' PEM block): send the public key or certificate alone; the private key never leaves the agency."
            )
        }
        guard let algorithm = SignatureKey.Algorithm(rawValue: registration.algorithm) else {
            let known = SignatureKey.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.badRequest, "Unknown algorithm '\(registration.algorithm.prefix(40))'; use one of \(known).")
        }
        let key: VerificationKey
        do {
            key = try VerificationKey(pemRepresentation: registration.publicKey)
        } catch {
            throw Problem(.badRequest, "The public key is not a readable PEM public key or certificate: \(error)", underlying: error)
        }
        guard key.algorithm.wireName == algorithm.rawValue else {
            throw Problem(.badRequest, "The key's algorithm is \(key.algorithm.wireName), not \(algorithm.rawValue).")
        }
        if let notBefore = registration.notBefore, let notAfter = registration.notAfter, notAfter <= notBefore {
            throw Problem(.badRequest, "notAfter must be later than notBefore.")
        }
        return algorithm
    }

    /// Endpoint URLs must be absolute `https` URLs without user information, query or fragment,
    /// leading nowhere `policy` refuses and to none of the node's own names (``EndpointURL``).
    static func checkEndpoint(_ setting: EndpointSetting, policy: DestinationPolicy, isOwnName: (String) -> Bool) throws(Problem) {
        guard !setting.urls.isEmpty else { throw Problem(.badRequest, "Give at least one endpoint URL.") }
        for url in setting.urls {
            try EndpointURL.check(url, policy: policy, isOwnName: isOwnName)
        }
        if let timeout = setting.timeoutMilliseconds, !(1...600_000).contains(timeout) {
            throw Problem(.badRequest, "timeoutMilliseconds must be between 1 and 600000.")
        }
        if let tls = setting.tls { try checkTLS(tls) }
    }

    /// TLS files are read by the broker when it delivers, so they must exist on the node now.
    private static func checkTLS(_ tls: ProviderEndpoint.TLS) throws(Problem) {
        guard (tls.clientCertificateFile == nil) == (tls.clientKeyFile == nil) else {
            throw Problem(.badRequest, "Give the client certificate and its key together (tls.clientCertificateFile and tls.clientKeyFile).")
        }
        for (field, path) in [("caFile", tls.caFile), ("clientCertificateFile", tls.clientCertificateFile)] {
            guard let path else { continue }
            try checkAbsolute(path, field)
            do {
                guard !(try PEMFiles.certificates(at: URL(fileURLWithPath: path))).isEmpty else {
                    throw Problem(.badRequest, "tls.\(field) \(path) holds no PEM certificate.")
                }
            } catch let problem as Problem {
                throw problem
            } catch {
                throw Problem(.badRequest, "tls.\(field) \(path) cannot be read on this node as PEM certificates: \(error)", underlying: error)
            }
        }
        if let key = tls.clientKeyFile {
            try checkAbsolute(key, "clientKeyFile")
            guard let text = try? String(contentsOfFile: key, encoding: .utf8), text.contains("PRIVATE KEY-----") else {
                throw Problem(.badRequest, "tls.clientKeyFile \(key) cannot be read on this node as a PEM private key.")
            }
        }
    }

    private static func checkAbsolute(_ path: String, _ field: String) throws(Problem) {
        guard path.hasPrefix("/") else {
            throw Problem(.badRequest, "tls.\(field) must be an absolute path on the broker nodes; '\(path.prefix(200))' is relative.")
        }
    }

    /// A decoding error in words an operator can act on.
    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "the field '\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "the field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "it is not JSON" : "the field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is malformed"
        default: "it could not be read"
        }
    }
}

extension AgencyView {
    init(_ agency: Agency) {
        self.init(id: agency.id, name: agency.name, status: agency.status.rawValue, createdAt: agency.createdAt)
    }
}

extension KeyView {
    init(_ key: SignatureKey) {
        self.init(
            keyId: key.keyId, agency: key.agencyId, algorithm: key.algorithm.rawValue,
            notBefore: key.notBefore, notAfter: key.notAfter, revokedAt: key.revokedAt
        )
    }
}

extension EndpointView {
    init(_ endpoint: ProviderEndpoint) {
        self.init(
            provider: endpoint.providerId, urls: endpoint.urls, timeoutMilliseconds: endpoint.timeout.milliseconds,
            tls: endpoint.tls == ProviderEndpoint.TLS() ? nil : endpoint.tls, updatedAt: endpoint.updatedAt
        )
    }
}

extension ContractView {
    init(_ record: ContractRecord, operations: [String]) {
        self.init(
            provider: record.provider, service: record.service, version: record.version, digest: record.digest,
            consumers: record.consumers, operations: operations, publishedAt: record.publishedAt,
            deprecatedAt: record.deprecatedAt, sunsetAt: record.sunsetAt, created: nil
        )
    }
}
