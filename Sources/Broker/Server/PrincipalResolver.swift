import Foundation
import Signing
import Synchronization
import X509

/// Who is calling, as proved by the TLS client certificate.
enum Principal: Sendable, Hashable, CustomStringConvertible {
    /// An agency system; its certificate's CN is the agency id.
    case agency(String)
    /// An operator (certificate OU `operator`), allowed on the admin API.
    case `operator`(String)
    /// An auditor (certificate OU `auditor`), allowed on the audit API.
    case auditor(String)

    /// `agency:mol`, `operator:alice`: how audit entries name the principal.
    var description: String {
        switch self {
        case .agency(let id): "agency:\(id)"
        case .operator(let name): "operator:\(name)"
        case .auditor(let name): "auditor:\(name)"
        }
    }
}

/// Turns the client certificate of a connection into a ``Principal``.
///
/// TLS already checked that the certificate chains to the exchange CA; this adds the checks
/// BoringSSL does not make (client-auth key usage, validity against Rabt's clock) and reads the
/// role. Verdicts are cached by certificate fingerprint so each certificate is validated once.
final class PrincipalResolver: Sendable {
    private let validator: ClientCertificateValidator
    private let verdicts = Mutex<[String: Principal]>([:])
    private static let cacheLimit = 4096

    init(trustRoots: [Certificate]) {
        self.validator = ClientCertificateValidator(trustRoots: trustRoots)
    }

    /// The principal of the request's connection, or the problem that refuses it.
    func principal(of context: BrokerRequestContext, now: Date = Date()) async throws(Problem) -> Principal {
        let certificate: Certificate?
        do {
            certificate = try await context.peerCertificate()
        } catch {
            throw Problem(.certificateInvalid, "The client certificate could not be read.", underlying: error)
        }
        guard let certificate else {
            throw Problem(.certificateRequired, "Connect with a client certificate issued by the exchange CA.")
        }
        let fingerprint = ClientIdentity.fingerprint(of: certificate)
        if let known = verdicts.withLock({ $0[fingerprint] }), certificate.notValidAfter > now {
            return known
        }
        switch await validator.validate(leaf: certificate, now: now) {
        case .invalid(let reason):
            throw Problem(.certificateInvalid, "The client certificate is not acceptable: \(reason).")
        case .valid(let identity):
            let principal = try Self.principal(of: identity)
            verdicts.withLock { cache in
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[fingerprint] = principal
            }
            return principal
        }
    }

    private static func principal(of identity: ClientIdentity) throws(Problem) -> Principal {
        guard let name = identity.commonName, !name.isEmpty else {
            throw Problem(.certificateInvalid, "The client certificate has no common name.")
        }
        switch identity.organizationalUnit {
        case "operator": return .operator(name)
        case "auditor": return .auditor(name)
        default: return .agency(name)
        }
    }
}
