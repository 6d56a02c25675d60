import Crypto
import Foundation
import SwiftASN1
import X509

/// Issues certificates from one CA key; the development PKI's only signing authority.
struct CertificateIssuer {
    let certificate: Certificate
    let key: P256.Signing.PrivateKey

    /// What a leaf certificate is for.
    struct Profile {
        var subject: DistinguishedName
        var usages: [ExtendedKeyUsage.Usage]
        var localhostNames: Bool
        /// More DNS names for a server certificate, e.g. the service names of containers.
        var dnsNames: [String] = []
    }

    /// A self-signed CA (basicConstraints CA, keyCertSign and cRLSign).
    static func makeAuthority(name: DistinguishedName, notBefore: Date, notAfter: Date) throws -> CertificateIssuer {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return CertificateIssuer(certificate: certificate, key: key)
    }

    /// A fresh P-256 key and a leaf certificate for it, signed by this CA.
    func issue(_ profile: Profile, notBefore: Date, notAfter: Date) throws -> (Certificate, P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let issuerKeyIdentifier = SubjectKeyIdentifier(hash: self.certificate.publicKey).keyIdentifier
        var names: [GeneralName] = []
        if profile.localhostNames {
            names += [
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            ]
        }
        names += profile.dnsNames.map { .dnsName($0) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage(profile.usages)
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: issuerKeyIdentifier)
            if !names.isEmpty {
                SubjectAlternativeNames(names)
            }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: self.certificate.subject,
            subject: profile.subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(self.key)
        )
        return (certificate, key)
    }
}
