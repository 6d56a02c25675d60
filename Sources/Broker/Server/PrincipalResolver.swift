import Foundation
import Signing
import Store
import Synchronization
import X509

/// Who is calling, as proved by the TLS client certificate.
enum Principal: Sendable, Hashable, CustomStringConvertible {
    /// An agency system; its certificate's CN is the agency id.
    case agency(String)
    /// A registered operator (certificate OU `operator`), allowed on the admin API.
    case `operator`(String)
    /// A registered auditor (certificate OU `auditor`), allowed on the audit API.
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
/// role. A certificate that says `OU=operator` or `OU=auditor` is a principal only when an
/// operator registered it (`rabt init`, `rabt principal add`); it is looked up on every call, so a
/// removal takes effect on the next request. Agency verdicts are cached by certificate
/// fingerprint, so each agency certificate is validated once.
final class PrincipalResolver: Sendable {
    private let validator: ClientCertificateValidator
    private let store: any ExchangeStore
    private let verdicts = Mutex<[String: ClientIdentity]>([:])
    private static let cacheLimit = 4096

    init(trustRoots: [Certificate], store: any ExchangeStore) {
        self.validator = ClientCertificateValidator(trustRoots: trustRoots)
        self.store = store
    }

    /// The principal of the request's connection, or the problem that refuses it.
    func principal(of context: BrokerRequestContext, now: Date = Date()) async throws(Problem) -> Principal {
        let certificate: Certificate?
        do {
            certificate = try await context.peerCertificate()
        } catch {
            throw Problem(.certificateInvalid, "The client certificate could not be read.", underlying: error)
        }
        return try await principal(presenting: certificate, now: now)
    }

    /// The principal a connection's client certificate (nil when it presented none) proves.
    func principal(presenting certificate: Certificate?, now: Date = Date()) async throws(Problem) -> Principal {
        guard let certificate else {
            throw Problem(.certificateRequired, "Connect with a client certificate issued by the exchange CA.")
        }
        let identity = try await identity(of: certificate, now: now)
        guard let role = identity.role else { return .agency(identity.commonName ?? "") }
        let registered: PrincipalRecord?
        do { registered = try await store.principal(fingerprint: identity.fingerprint) } catch { throw Problem(error) }
        guard let registered, registered.role == role else {
            throw Problem(
                .forbidden,
                "The \(role.rawValue) certificate of '\(identity.commonName ?? "")' is not registered; an operator registers it with `rabt principal add`."
            )
        }
        return role == .operator ? .operator(registered.name) : .auditor(registered.name)
    }

    /// A certificate an operator registers as a principal: it must be one Rabt would admit, and
    /// its subject's OU must name the role.
    func registration(certificatePEM pem: String, role: PrincipalRecord.Role, name: String?, now: Date = Date()) async throws(Problem) -> PrincipalRecord {
        let certificates: [Certificate]
        do { certificates = try PEMFiles.certificates(pem: pem) } catch {
            throw Problem(.badRequest, "The certificate is not readable PEM: \(error)", underlying: error)
        }
        guard certificates.count == 1, let certificate = certificates.first else {
            throw Problem(.badRequest, "Give exactly one PEM certificate; found \(certificates.count).")
        }
        let identity = try await identity(of: certificate, now: now)
        guard identity.role == role else {
            throw Problem(
                .badRequest,
                "The certificate's subject has OU=\(identity.organizationalUnit ?? "(none)"); a \(role.rawValue) certificate needs OU=\(role.rawValue)."
            )
        }
        let name = name ?? identity.commonName ?? ""
        try AdminInput.checkIdentifier(name, what: "principal name")
        return PrincipalRecord(
            name: name, role: role, certificateFingerprint: identity.fingerprint,
            subject: certificate.subject.description, notAfter: certificate.notValidAfter
        )
    }

    private func identity(of certificate: Certificate, now: Date) async throws(Problem) -> ClientIdentity {
        let fingerprint = ClientIdentity.fingerprint(of: certificate)
        if let known = verdicts.withLock({ $0[fingerprint] }), certificate.notValidAfter > now {
            return known
        }
        switch await validator.validate(leaf: certificate, now: now) {
        case .invalid(let reason):
            throw Problem(.certificateInvalid, "The client certificate is not acceptable: \(reason).")
        case .valid(let identity):
            guard let name = identity.commonName, !name.isEmpty else {
                throw Problem(.certificateInvalid, "The client certificate has no common name.")
            }
            verdicts.withLock { cache in
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[fingerprint] = identity
            }
            return identity
        }
    }
}

extension ClientIdentity {
    /// The principal role the subject claims (`OU=operator` or `OU=auditor`); nil for agencies.
    var role: PrincipalRecord.Role? {
        organizationalUnit.flatMap(PrincipalRecord.Role.init(rawValue:))
    }
}
