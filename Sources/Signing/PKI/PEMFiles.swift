import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing the PEM files of a PKI: certificates, public keys and private keys.
public enum PEMFiles {
    /// Every certificate in a PEM file, in file order.
    public static func certificates(at url: URL) throws -> [Certificate] {
        try self.certificates(pem: self.read(url))
    }

    /// Every certificate in a PEM string, in order.
    public static func certificates(pem: String) throws -> [Certificate] {
        do {
            return try PEMDocument.parseMultiple(pemString: pem)
                .filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(pemDocument: $0) }
        } catch {
            throw SigningError(.certificateInvalid, "PEM certificate could not be read", cause: error)
        }
    }

    /// The first certificate in a PEM file.
    public static func certificate(at url: URL) throws -> Certificate {
        guard let first = try self.certificates(at: url).first else {
            throw SigningError(.certificateInvalid, "\(url.lastPathComponent) holds no certificate")
        }
        return first
    }

    /// A public key from a PEM file holding a `PUBLIC KEY` or a `CERTIFICATE`.
    public static func verificationKey(at url: URL) throws -> VerificationKey {
        try VerificationKey(pemRepresentation: self.read(url))
    }

    /// A private signing key from a PEM file; with `algorithm` nil the key type decides.
    public static func signingKey(at url: URL, algorithm: SignatureAlgorithm? = nil) throws -> SigningKey {
        try SigningKey(pemRepresentation: self.read(url), algorithm: algorithm)
    }

    /// The text of a file.
    static func read(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SigningError(.fileSystem, "could not read \(url.path)", cause: error)
        }
    }

    /// Writes public material (certificates, public keys) with mode 0644.
    static func writePublic(_ text: String, to url: URL) throws {
        try self.write(text, to: url, mode: 0o644)
    }

    /// Writes a private key with mode 0600, created with that mode so it is never readable by others.
    static func writePrivate(_ text: String, to url: URL) throws {
        try self.write(text, to: url, mode: 0o600)
    }

    private static func write(_ text: String, to url: URL, mode: mode_t) throws {
        let path = url.path
        // Remove first so an existing file's looser mode cannot survive the rewrite.
        if unlink(path) != 0 && errno != ENOENT {
            throw SigningError(.fileSystem, "could not replace \(path) (errno \(errno))")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw SigningError(.fileSystem, "could not create \(path) (errno \(errno))")
        }
        defer { close(descriptor) }
        // The umask may have narrowed the mode; set it exactly.
        guard fchmod(descriptor, mode) == 0 else {
            throw SigningError(.fileSystem, "could not set the mode of \(path) (errno \(errno))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw SigningError(.fileSystem, "could not write \(path)", cause: error)
        }
    }
}
