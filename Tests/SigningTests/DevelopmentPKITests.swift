import Crypto
import Foundation
import Signing
import SwiftASN1
import Testing
import X509

@Suite("Development PKI and client certificates")
struct DevelopmentPKITests {
    static let now = Date()

    private func makePKI(in directory: TemporaryDirectory) throws -> DevelopmentPKI {
        try DevelopmentPKI.create(
            in: directory.url,
            agencies: [
                .init(id: "moj"),
                .init(id: "mol", signingAlgorithm: .ecdsaP256SHA256),
            ],
            operators: ["alice"],
            auditors: ["audrey"],
            now: Self.now
        )
    }

    @Test("writes every file, private keys with mode 0600")
    func writesFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try self.makePKI(in: directory)

        let privateFiles = [
            pki.caKey, pki.rabtKey, pki.rabtSigningKey, pki.agencyKey("moj"), pki.agencyServerKey("moj"), pki.agencySigningKey("moj"),
            pki.agencySigningKey("mol"), pki.operatorKey("alice"), pki.auditorKey("audrey"),
        ]
        let publicFiles = [
            pki.caCertificate, pki.rabtCertificate, pki.rabtSigningPublicKey, pki.agencyCertificate("moj"), pki.agencyServerCertificate("moj"),
            pki.agencySigningPublicKey("moj"), pki.operatorCertificate("alice"), pki.auditorCertificate("audrey"),
        ]
        for url in privateFiles {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(url.lastPathComponent)")
        }
        for url in publicFiles {
            #expect(FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)")
        }
    }

    @Test("certificates carry the subjects, usages and names the design asks for")
    func certificateContents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try self.makePKI(in: directory)

        let ca = try PEMFiles.certificate(at: pki.caCertificate)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try ca.extensions.keyUsage?.keyCertSign == true)

        let rabt = try PEMFiles.certificate(at: pki.rabtCertificate)
        let rabtUsage = try #require(try rabt.extensions.extendedKeyUsage)
        #expect(rabtUsage.contains(.serverAuth) && rabtUsage.contains(.clientAuth))
        let names = try #require(try rabt.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))))

        let server = try PEMFiles.certificate(at: pki.agencyServerCertificate("moj"))
        #expect(try server.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(try server.extensions.extendedKeyUsage?.contains(.clientAuth) == false)

        let agency = ClientIdentity(certificate: try PEMFiles.certificate(at: pki.agencyCertificate("moj")))
        #expect(agency.commonName == "moj")
        #expect(agency.organization == "moj")
        #expect(agency.organizationalUnit == nil)

        let operatorIdentity = ClientIdentity(certificate: try PEMFiles.certificate(at: pki.operatorCertificate("alice")))
        #expect(operatorIdentity.commonName == "alice")
        #expect(operatorIdentity.organizationalUnit == "operator")
        let auditor = ClientIdentity(certificate: try PEMFiles.certificate(at: pki.auditorCertificate("audrey")))
        #expect(auditor.organizationalUnit == "auditor")
    }

    @Test("signature key pairs match and use the chosen algorithm")
    func signingKeys() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try self.makePKI(in: directory)

        let pairs = [
            (pki.agencySigningKey("moj"), pki.agencySigningPublicKey("moj"), SignatureAlgorithm.ed25519),
            (pki.agencySigningKey("mol"), pki.agencySigningPublicKey("mol"), .ecdsaP256SHA256),
            (pki.rabtSigningKey, pki.rabtSigningPublicKey, .ed25519),
        ]
        for (privateURL, publicURL, algorithm) in pairs {
            let privateKey = try PEMFiles.signingKey(at: privateURL)
            let publicKey = try PEMFiles.verificationKey(at: publicURL)
            #expect(privateKey.algorithm == algorithm)
            #expect(publicKey.algorithm == algorithm)
            let message = Data("signature base".utf8)
            #expect(publicKey.isValidSignature(try privateKey.signature(for: message), for: message))
        }
    }

    @Test("a second run reuses the CA, so earlier certificates stay valid")
    func reusesAuthority() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try self.makePKI(in: directory)
        let ca = try PEMFiles.certificate(at: first.caCertificate)
        let earlier = try PEMFiles.certificate(at: first.agencyCertificate("moj"))
        let second = try DevelopmentPKI.create(in: directory.url, agencies: [.init(id: "rop")], operators: [], now: Self.now)
        #expect(try PEMFiles.certificate(at: second.caCertificate) == ca)
        let validator = ClientCertificateValidator(trustRoots: [try PEMFiles.certificate(at: second.caCertificate)])
        guard case .valid = await validator.validate(leaf: earlier, now: Self.now) else {
            Issue.record("certificate from the first run no longer validates")
            return
        }
        let later = try PEMFiles.certificate(at: second.agencyCertificate("rop"))
        guard case .valid = await validator.validate(leaf: later, now: Self.now) else {
            Issue.record("certificate from the second run does not validate")
            return
        }
    }

    @Test("extra DNS names go into the server certificates of that run only")
    func serverDNSNames() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(
            in: directory.url, agencies: [.init(id: "mol")], operators: ["alice"], serverDNSNames: ["rabt", "lb.exchange.test"],
            now: Self.now
        )
        for server in [pki.rabtCertificate, pki.agencyServerCertificate("mol")] {
            let names = try #require(try PEMFiles.certificate(at: server).extensions.subjectAlternativeNames, "\(server.lastPathComponent)")
            #expect(names.contains(.dnsName("localhost")))
            #expect(names.contains(.dnsName("rabt")))
            #expect(names.contains(.dnsName("lb.exchange.test")))
        }
        for client in [pki.agencyCertificate("mol"), pki.operatorCertificate("alice")] {
            #expect(try PEMFiles.certificate(at: client).extensions.subjectAlternativeNames == nil)
        }

        // Issuing one more agency names only its own provider certificate; Rabt's stays as it was.
        let issued = try DevelopmentPKI.create(
            in: directory.url, agencies: [.init(id: "moj")], operators: [], rabtIdentity: false, serverDNSNames: ["moj"], now: Self.now
        )
        let moj = try #require(try PEMFiles.certificate(at: issued.agencyServerCertificate("moj")).extensions.subjectAlternativeNames)
        #expect(moj.contains(.dnsName("moj")) && !moj.contains(.dnsName("rabt")))
        let rabt = try #require(try PEMFiles.certificate(at: issued.rabtCertificate).extensions.subjectAlternativeNames)
        #expect(rabt.contains(.dnsName("rabt")) && !rabt.contains(.dnsName("moj")))
    }

    @Test("rejects DNS names a TLS client could not match", arguments: ["", "Rabt", "-rabt", "rabt-", "a..b", "rabt_1", "*.rabt"])
    func rejectsBadDNSNames(_ name: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: SigningError.self) {
            try DevelopmentPKI.create(in: directory.url, agencies: [], operators: [], serverDNSNames: [name])
        }
    }

    @Test("rejects ids that are not safe file names")
    func rejectsBadIds() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: SigningError.self) {
            try DevelopmentPKI.create(in: directory.url, agencies: [.init(id: "../etc")], operators: [])
        }
    }
}
