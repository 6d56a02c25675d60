import Crypto
import Foundation
import SwiftASN1
import X509

/// A development PKI on disk: the exchange CA, Rabt's certificate, and per agency, operator and
/// auditor certificates and keys, all as PEM files. For demos and tests only; see certs/README.md.
///
/// Layout of ``directory``:
/// `ca.pem`, `ca-key.pem`, `rabt.pem`, `rabt-key.pem`,
/// `rabt-signing-key.pem|rabt-signing.pub.pem` (Rabt's RFC 9421 key for countersignatures and receipts),
/// `rabt-audit-key.pem|rabt-audit.pub.pem` (Ed25519, signs audit tree heads), `rabt-audit-body.key` (AES key for kept bodies),
/// `agencies/<id>.pem|-key.pem` (client), `agencies/<id>-server.pem|-server-key.pem` (provider HTTPS),
/// `agencies/<id>-signing-key.pem|-signing.pub.pem` (RFC 9421 key),
/// `operators/<name>.pem|-key.pem`, `auditors/<name>.pem|-key.pem`.
public struct DevelopmentPKI: Sendable {
    /// An agency to issue certificates and a signature key pair for.
    public struct Agency: Sendable, Hashable {
        /// The agency id, e.g. `moj`; used as CN and O of its client certificate.
        public var id: String
        /// The algorithm of the agency's RFC 9421 signature key.
        public var signingAlgorithm: SignatureAlgorithm

        /// Creates an agency entry; Ed25519 unless told otherwise.
        public init(id: String, signingAlgorithm: SignatureAlgorithm = .ed25519) {
            self.id = id
            self.signingAlgorithm = signingAlgorithm
        }
    }

    /// The folder holding the PEM files.
    public let directory: URL

    /// Refers to a PKI already on disk (nothing is read until a file is used).
    public init(directory: URL) {
        self.directory = directory
    }

    /// Creates (or extends) the PKI in `directory`.
    ///
    /// An existing `ca.pem`/`ca-key.pem` pair is reused so certificates issued earlier stay valid;
    /// every other requested file is (re)written. Private keys get mode 0600. With `rabtIdentity`
    /// false, Rabt's own certificate and keys are left as they are, and the CA must exist:
    /// that is how one more agency, operator or auditor joins an existing PKI. `serverDNSNames`
    /// are added to the server certificates this call issues (Rabt's and the agencies' provider
    /// endpoints), next to localhost, 127.0.0.1 and ::1: the names other hosts reach them by.
    public static func create(
        in directory: URL,
        agencies: [Agency],
        operators: [String],
        auditors: [String] = [],
        rabtIdentity: Bool = true,
        serverDNSNames: [String] = [],
        validity: Duration = .seconds(86400 * 365),
        rabtSigningAlgorithm: SignatureAlgorithm = .ed25519,
        now: Date = Date()
    ) throws -> DevelopmentPKI {
        let pki = DevelopmentPKI(directory: directory)
        for name in agencies.map(\.id) + operators + auditors {
            try Self.checkName(name)
        }
        for name in serverDNSNames {
            try Self.checkDNSName(name)
        }
        // Backdate a little so machines with slightly slow clocks accept fresh certificates.
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(Double(validity.components.seconds))
        for folder in [directory, pki.agenciesDirectory, pki.operatorsDirectory, pki.auditorsDirectory] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw SigningError(.fileSystem, "could not create \(folder.path)", cause: error)
            }
        }
        guard rabtIdentity || FileManager.default.fileExists(atPath: pki.caCertificate.path) else {
            throw SigningError(.fileSystem, "\(pki.caCertificate.path) does not exist; create the PKI first")
        }
        do {
            let issuer = try pki.loadOrCreateAuthority(notBefore: notBefore, notAfter: notAfter)
            func issue(_ profile: CertificateIssuer.Profile, certificate: URL, key: URL) throws {
                let (issued, privateKey) = try issuer.issue(profile, notBefore: notBefore, notAfter: notAfter)
                try PEMFiles.writePrivate(privateKey.pemRepresentation, to: key)
                try PEMFiles.writePublic(issued.serializeAsPEM().pemString, to: certificate)
            }
            if rabtIdentity {
                try issue(
                    .init(
                        subject: DistinguishedName {
                            CommonName("rabt")
                            OrganizationName("Rabt")
                        },
                        usages: [.serverAuth, .clientAuth],
                        localhostNames: true,
                        dnsNames: serverDNSNames
                    ),
                    certificate: pki.rabtCertificate,
                    key: pki.rabtKey
                )
                try Self.writeSigningKeyPair(
                    rabtSigningAlgorithm, privateKey: pki.rabtSigningKey, publicKey: pki.rabtSigningPublicKey)
                try Self.writeSigningKeyPair(.ed25519, privateKey: pki.rabtAuditKey, publicKey: pki.rabtAuditPublicKey)
                try PEMFiles.writePrivate(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() } + "\n",
                                          to: pki.rabtAuditBodyKey)
            }
            for agency in agencies {
                let id = agency.id
                try issue(
                    .init(
                        subject: DistinguishedName {
                            CommonName(id)
                            OrganizationName(id)
                        },
                        usages: [.clientAuth],
                        localhostNames: false
                    ),
                    certificate: pki.agencyCertificate(id),
                    key: pki.agencyKey(id)
                )
                try issue(
                    .init(
                        subject: DistinguishedName {
                            CommonName("\(id) provider endpoint")
                            OrganizationName(id)
                        },
                        usages: [.serverAuth],
                        localhostNames: true,
                        dnsNames: serverDNSNames
                    ),
                    certificate: pki.agencyServerCertificate(id),
                    key: pki.agencyServerKey(id)
                )
                try Self.writeSigningKeyPair(
                    agency.signingAlgorithm, privateKey: pki.agencySigningKey(id), publicKey: pki.agencySigningPublicKey(id))
            }
            for (names, role) in [(operators, "operator"), (auditors, "auditor")] {
                for name in names {
                    try issue(
                        .init(
                            subject: DistinguishedName {
                                CommonName(name)
                                OrganizationalUnitName(role)
                                OrganizationName("Rabt")
                            },
                            usages: [.clientAuth],
                            localhostNames: false
                        ),
                        certificate: role == "operator" ? pki.operatorCertificate(name) : pki.auditorCertificate(name),
                        key: role == "operator" ? pki.operatorKey(name) : pki.auditorKey(name)
                    )
                }
            }
        } catch let error as SigningError {
            throw error
        } catch {
            throw SigningError(.certificateInvalid, "could not issue development certificates", cause: error)
        }
        return pki
    }

    private static func writeSigningKeyPair(_ algorithm: SignatureAlgorithm, privateKey: URL, publicKey: URL) throws {
        let key = try SigningKey.generate(algorithm)
        try PEMFiles.writePrivate(key.pemRepresentation, to: privateKey)
        try PEMFiles.writePublic(key.publicKey.pemRepresentation, to: publicKey)
    }

    private func loadOrCreateAuthority(notBefore: Date, notAfter: Date) throws -> CertificateIssuer {
        let manager = FileManager.default
        if manager.fileExists(atPath: self.caCertificate.path), manager.fileExists(atPath: self.caKey.path) {
            let certificate = try PEMFiles.certificate(at: self.caCertificate)
            do {
                let key = try P256.Signing.PrivateKey(pemRepresentation: PEMFiles.read(self.caKey))
                return CertificateIssuer(certificate: certificate, key: key)
            } catch {
                throw SigningError(.keyInvalid, "ca-key.pem is not a P-256 private key", cause: error)
            }
        }
        let name = try DistinguishedName {
            CommonName("Rabt Development Exchange CA")
            OrganizationName("Rabt")
        }
        let issuer = try CertificateIssuer.makeAuthority(name: name, notBefore: notBefore, notAfter: notAfter)
        try PEMFiles.writePrivate(issuer.key.pemRepresentation, to: self.caKey)
        try PEMFiles.writePublic(issuer.certificate.serializeAsPEM().pemString, to: self.caCertificate)
        return issuer
    }

    /// Ids become file names and subject names: lowercase letters, digits, `-`, `_`, `.`; no leading dot.
    private static func checkName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("."), name.allSatisfy(allowed.contains) else {
            throw SigningError(.certificateInvalid, "'\(name)' is not a valid id (use a-z, 0-9, '-', '_', '.')")
        }
    }

    /// Host names as certificates and TLS clients compare them: dot-separated labels of a-z, 0-9
    /// and inner hyphens, each at most 63 characters.
    private static func checkDNSName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !name.isEmpty && name.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-") && label.allSatisfy(allowed.contains)
        }
        guard valid else {
            throw SigningError(.certificateInvalid, "'\(name)' is not a valid DNS name (lowercase labels of a-z, 0-9 and '-')")
        }
    }
}

extension DevelopmentPKI {
    /// `agencies/`.
    public var agenciesDirectory: URL { self.directory.appendingPathComponent("agencies", isDirectory: true) }
    /// `operators/`.
    public var operatorsDirectory: URL { self.directory.appendingPathComponent("operators", isDirectory: true) }
    /// `auditors/`.
    public var auditorsDirectory: URL { self.directory.appendingPathComponent("auditors", isDirectory: true) }

    /// `ca.pem`: the exchange CA certificate (the trust root for every other certificate).
    public var caCertificate: URL { self.directory.appendingPathComponent("ca.pem") }
    /// `ca-key.pem`: the CA's private key.
    public var caKey: URL { self.directory.appendingPathComponent("ca-key.pem") }
    /// `rabt.pem`: Rabt's certificate (serverAuth and clientAuth, SAN localhost/127.0.0.1/::1 and any extra DNS names).
    public var rabtCertificate: URL { self.directory.appendingPathComponent("rabt.pem") }
    /// `rabt-key.pem`: Rabt's private key.
    public var rabtKey: URL { self.directory.appendingPathComponent("rabt-key.pem") }
    /// `rabt-signing-key.pem`: Rabt's RFC 9421 private key (countersignatures, receipts).
    public var rabtSigningKey: URL { self.directory.appendingPathComponent("rabt-signing-key.pem") }
    /// `rabt-signing.pub.pem`: its public key, for providers and consumers that verify Rabt's signatures.
    public var rabtSigningPublicKey: URL { self.directory.appendingPathComponent("rabt-signing.pub.pem") }
    /// `rabt-audit-key.pem`: Rabt's Ed25519 audit key, which signs the audit log's tree heads.
    public var rabtAuditKey: URL { self.directory.appendingPathComponent("rabt-audit-key.pem") }
    /// `rabt-audit.pub.pem`: its public key, which auditors pin to verify tree heads and exports.
    public var rabtAuditPublicKey: URL { self.directory.appendingPathComponent("rabt-audit.pub.pem") }
    /// `rabt-audit-body.key`: 32 random bytes in base64, the AES-256-GCM key for bodies the audit log keeps.
    public var rabtAuditBodyKey: URL { self.directory.appendingPathComponent("rabt-audit-body.key") }

    /// `agencies/<id>.pem`: the agency's client certificate (CN=O=id, clientAuth).
    public func agencyCertificate(_ id: String) -> URL { self.agenciesDirectory.appendingPathComponent("\(id).pem") }
    /// `agencies/<id>-key.pem`.
    public func agencyKey(_ id: String) -> URL { self.agenciesDirectory.appendingPathComponent("\(id)-key.pem") }
    /// `agencies/<id>-server.pem`: HTTPS certificate for the agency's provider endpoint (serverAuth).
    public func agencyServerCertificate(_ id: String) -> URL {
        self.agenciesDirectory.appendingPathComponent("\(id)-server.pem")
    }
    /// `agencies/<id>-server-key.pem`.
    public func agencyServerKey(_ id: String) -> URL {
        self.agenciesDirectory.appendingPathComponent("\(id)-server-key.pem")
    }
    /// `agencies/<id>-signing-key.pem`: the agency's RFC 9421 private key (PKCS#8).
    public func agencySigningKey(_ id: String) -> URL {
        self.agenciesDirectory.appendingPathComponent("\(id)-signing-key.pem")
    }
    /// `agencies/<id>-signing.pub.pem`: the matching public key, to register with Rabt.
    public func agencySigningPublicKey(_ id: String) -> URL {
        self.agenciesDirectory.appendingPathComponent("\(id)-signing.pub.pem")
    }

    /// `operators/<name>.pem`: operator client certificate (CN=name, OU=operator).
    public func operatorCertificate(_ name: String) -> URL {
        self.operatorsDirectory.appendingPathComponent("\(name).pem")
    }
    /// `operators/<name>-key.pem`.
    public func operatorKey(_ name: String) -> URL { self.operatorsDirectory.appendingPathComponent("\(name)-key.pem") }
    /// `auditors/<name>.pem`: auditor client certificate (CN=name, OU=auditor).
    public func auditorCertificate(_ name: String) -> URL {
        self.auditorsDirectory.appendingPathComponent("\(name).pem")
    }
    /// `auditors/<name>-key.pem`.
    public func auditorKey(_ name: String) -> URL { self.auditorsDirectory.appendingPathComponent("\(name)-key.pem") }
}
