import Crypto
import Foundation
import SwiftASN1
import X509

/// Who a validated client certificate names.
public struct ClientIdentity: Sendable, Hashable {
    /// The subject's common name (CN), e.g. an agency id or an operator name.
    public var commonName: String?
    /// The subject's organizational unit (OU), e.g. `operator` or `auditor`.
    public var organizationalUnit: String?
    /// The subject's organization (O).
    public var organization: String?
    /// Lowercase hex SHA-256 of the certificate's DER encoding.
    public var fingerprint: String
    /// When the certificate expires.
    public var notAfter: Date

    /// Reads the identity out of a certificate.
    public init(certificate: Certificate) {
        func first(_ oid: ASN1ObjectIdentifier) -> String? {
            for rdn in certificate.subject {
                for attribute in rdn where attribute.type == oid {
                    return String(describing: attribute.value)
                }
            }
            return nil
        }
        self.commonName = first(.RDNAttributeType.commonName)
        self.organizationalUnit = first(.RDNAttributeType.organizationalUnitName)
        self.organization = first(.RDNAttributeType.organizationName)
        self.fingerprint = Self.fingerprint(of: certificate)
        self.notAfter = certificate.notValidAfter
    }

    /// Lowercase hex SHA-256 of a certificate's DER encoding.
    public static func fingerprint(of certificate: Certificate) -> String {
        var serializer = DER.Serializer()
        // Serialising a parsed or freshly built certificate cannot fail.
        try? serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
