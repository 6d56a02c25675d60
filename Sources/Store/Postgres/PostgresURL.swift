import Foundation
import NIOSSL
import PostgresNIO

/// The parts of a `postgres://user:password@host:port/database?sslmode=…` URL the store connects with.
///
/// TLS is set with libpq's parameter names, so a URL that works with `psql` works here:
/// `sslmode` (`disable`, `prefer` — the default —, `require`, `verify-ca`, `verify-full`),
/// `sslrootcert` (a PEM file of the CAs to trust instead of the system's), and `sslcert` with
/// `sslkey` (a client certificate and its key, PEM). As with libpq, `require` with a
/// `sslrootcert` checks the server's chain as `verify-ca` does.
struct PostgresURL {
    /// How connections are secured.
    enum TLSMode: String, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String?
    var tlsMode: TLSMode = .prefer
    var rootCertificates: String?
    var clientCertificate: String?
    var clientKey: String?

    init(_ url: String) throws(StoreError) {
        guard let components = URLComponents(string: url),
              components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty
        else {
            // The URL may hold a password: never echo it.
            throw StoreError(code: .invalidArgument, message: "expected a postgres://user:password@host:port/database URL")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        // URLComponents percent-decodes user, password and query values.
        self.user = user
        password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw StoreError(code: .invalidArgument, message: "sslmode '\(value.prefix(40))' is not one of \(modes)")
                }
                tlsMode = mode
            case "sslrootcert": rootCertificates = value
            case "sslcert": clientCertificate = value
            case "sslkey": clientKey = value
            default:
                throw StoreError(
                    code: .invalidArgument,
                    message: "the database URL's parameter '\(item.name.prefix(40))' is not known; known: sslmode, sslrootcert, sslcert, sslkey"
                )
            }
        }
        if (clientCertificate == nil) != (clientKey == nil) {
            throw StoreError(code: .invalidArgument, message: "the database URL names sslcert and sslkey together or neither")
        }
    }

    /// The TLS settings for the mode, with the named files read; nil for `disable`.
    /// `invalid-argument` when a named file cannot be read as PEM.
    func tlsConfiguration() throws(StoreError) -> TLSConfiguration? {
        guard tlsMode != .disable else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable, .prefer, .require:
            tls.certificateVerification = rootCertificates == nil ? .none : .noHostnameVerification
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let rootCertificates {
            tls.trustRoots = .certificates(try read("sslrootcert", rootCertificates) { try NIOSSLCertificate.fromPEMFile($0) })
        }
        if let clientCertificate, let clientKey {
            let chain = try read("sslcert", clientCertificate) { try NIOSSLCertificate.fromPEMFile($0) }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(try read("sslkey", clientKey) { try NIOSSLPrivateKey(file: $0, format: .pem) })
        }
        return tls
    }

    /// The settings for direct connections (migrations, the sequencer session) and for the pool,
    /// with the same TLS; `invalid-argument` when the TLS settings cannot be used.
    func configurations() throws(StoreError) -> (direct: PostgresConnection.Configuration, pool: PostgresClient.Configuration) {
        let directTLS: PostgresConnection.Configuration.TLS
        let poolTLS: PostgresClient.Configuration.TLS
        if let configuration = try tlsConfiguration() {
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                throw StoreError(code: .invalidArgument, message: "the database URL's TLS settings cannot be used: \(error)", cause: error)
            }
            directTLS = tlsMode == .prefer ? .prefer(context) : .require(context)
            poolTLS = tlsMode == .prefer ? .prefer(configuration) : .require(configuration)
        } else {
            directTLS = .disable
            poolTLS = .disable
        }
        return (
            PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: directTLS),
            PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: poolTLS)
        )
    }

    private func read<T>(_ parameter: String, _ path: String, _ load: (String) throws -> T) throws(StoreError) -> T {
        do {
            return try load(path)
        } catch {
            throw StoreError(code: .invalidArgument, message: "\(parameter) \(path): not a readable PEM file (\(error))", cause: error)
        }
    }
}
