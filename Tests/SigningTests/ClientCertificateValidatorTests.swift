import Crypto
import Foundation
import Signing
import SwiftASN1
import Testing
import X509

@Suite("Client certificate validation")
struct ClientCertificateValidatorTests {
    static let now = Date()

    @Test("accepts agency, operator and auditor certificates from the exchange CA")
    func acceptsIssuedCertificates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(
            in: directory.url, agencies: [.init(id: "moj")], operators: ["alice"], auditors: ["audrey"], now: Self.now)
        let validator = ClientCertificateValidator(trustRoots: [try PEMFiles.certificate(at: pki.caCertificate)])

        let leaf = try PEMFiles.certificate(at: pki.agencyCertificate("moj"))
        let verdict = await validator.validate(leaf: leaf, intermediates: [], now: Self.now)
        guard case .valid(let identity) = verdict else {
            Issue.record("expected valid, got \(verdict)")
            return
        }
        #expect(identity.commonName == "moj")
        #expect(identity.fingerprint.count == 64)
        #expect(identity.fingerprint == ClientIdentity.fingerprint(of: leaf))
        #expect(identity.notAfter == leaf.notValidAfter)

        for url in [pki.operatorCertificate("alice"), pki.auditorCertificate("audrey"), pki.rabtCertificate] {
            let verdict = await validator.validate(leaf: try PEMFiles.certificate(at: url), now: Self.now)
            guard case .valid = verdict else {
                Issue.record("\(url.lastPathComponent): expected valid, got \(verdict)")
                continue
            }
        }
    }

    @Test("rejects a certificate from another CA")
    func rejectsOtherAuthority() async throws {
        let ours = try TemporaryDirectory()
        let theirs = try TemporaryDirectory()
        defer {
            ours.remove()
            theirs.remove()
        }
        let trusted = try DevelopmentPKI.create(in: ours.url, agencies: [.init(id: "moj")], operators: [], now: Self.now)
        let foreign = try DevelopmentPKI.create(in: theirs.url, agencies: [.init(id: "moj")], operators: [], now: Self.now)
        let validator = ClientCertificateValidator(trustRoots: [try PEMFiles.certificate(at: trusted.caCertificate)])
        let verdict = await validator.validate(
            leaf: try PEMFiles.certificate(at: foreign.agencyCertificate("moj")), now: Self.now)
        guard case .invalid = verdict else {
            Issue.record("a foreign certificate was accepted")
            return
        }
    }

    @Test("rejects a server-only certificate (no clientAuth EKU)")
    func rejectsServerCertificate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(in: directory.url, agencies: [.init(id: "moj")], operators: [], now: Self.now)
        let validator = ClientCertificateValidator(trustRoots: [try PEMFiles.certificate(at: pki.caCertificate)])
        let verdict = await validator.validate(
            leaf: try PEMFiles.certificate(at: pki.agencyServerCertificate("moj")), now: Self.now)
        guard case .invalid(let reason) = verdict else {
            Issue.record("a serverAuth-only certificate was accepted as a client")
            return
        }
        #expect(reason.contains("clientAuth"))
    }

    @Test("rejects an expired certificate")
    func rejectsExpired() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(
            in: directory.url, agencies: [.init(id: "moj")], operators: [], validity: .seconds(3600), now: Self.now)
        let validator = ClientCertificateValidator(trustRoots: [try PEMFiles.certificate(at: pki.caCertificate)])
        let verdict = await validator.validate(
            leaf: try PEMFiles.certificate(at: pki.agencyCertificate("moj")), now: Self.now.addingTimeInterval(7200))
        guard case .invalid = verdict else {
            Issue.record("an expired certificate was accepted")
            return
        }
    }

    @Test("loads a public key from a PEM certificate as well as from a PEM public key")
    func loadsKeysFromCertificates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try DevelopmentPKI.create(in: directory.url, agencies: [.init(id: "moj")], operators: [], now: Self.now)
        let fromCertificate = try PEMFiles.verificationKey(at: pki.agencyCertificate("moj"))
        #expect(fromCertificate.algorithm == .ecdsaP256SHA256)
        let certificate = try PEMFiles.certificate(at: pki.agencyCertificate("moj"))
        #expect(fromCertificate == (try VerificationKey(certificate.publicKey)))
        let reparsed = try VerificationKey(pemRepresentation: fromCertificate.pemRepresentation)
        #expect(reparsed == fromCertificate)
    }
}
