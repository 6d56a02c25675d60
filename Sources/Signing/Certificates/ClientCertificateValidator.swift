import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// The outcome of validating a client certificate.
public enum ClientIdentityVerdict: Sendable, Hashable {
    /// The certificate chains to a trust root, is valid now and allows client authentication.
    case valid(ClientIdentity)
    /// The certificate must not be trusted; the reason is safe to log.
    case invalid(reason: String)
}

/// Validates TLS client certificates against the exchange CA(s): RFC 5280 chain building and
/// checks, plus extendedKeyUsage clientAuth on the leaf.
public struct ClientCertificateValidator: Sendable {
    private let trustRoots: [Certificate]

    /// Creates a validator that trusts exactly `trustRoots`.
    public init(trustRoots: [Certificate]) {
        self.trustRoots = trustRoots
    }

    /// Validates `leaf` (plus any `intermediates` the client sent) at time `now`.
    public func validate(leaf: Certificate, intermediates: [Certificate] = [], now: Date) async -> ClientIdentityVerdict {
        var verifier = Verifier(rootCertificates: CertificateStore(self.trustRoots)) {
            RFC5280Policy(fixedExpiryValidationTime: now)
            ClientAuthenticationPolicy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate:
            return .valid(ClientIdentity(certificate: leaf))
        case .couldNotValidate(let failures):
            if let failure = failures.first {
                return .invalid(reason: String(describing: failure.policyFailureReason))
            }
            return .invalid(reason: "certificate does not chain to a trusted exchange CA")
        }
    }
}

/// Requires the leaf to carry extendedKeyUsage with clientAuth (swift-certificates has no such policy).
struct ClientAuthenticationPolicy: VerifierPolicy {
    // The policy enforces EKU, so a critical EKU extension is understood here.
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        let usage: ExtendedKeyUsage?
        do {
            usage = try leaf.extensions.extendedKeyUsage
        } catch {
            return .failsToMeetPolicy(reason: "leaf extendedKeyUsage extension is malformed")
        }
        guard let usage else {
            return .failsToMeetPolicy(reason: "leaf certificate has no extendedKeyUsage extension")
        }
        guard usage.contains(.clientAuth) else {
            return .failsToMeetPolicy(reason: "leaf certificate does not allow client authentication (EKU clientAuth)")
        }
        return .meetsPolicy
    }
}
