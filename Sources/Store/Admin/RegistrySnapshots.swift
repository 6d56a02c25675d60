import Audit
import Foundation

/// The canonical form of registry records whose digests admin audit entries carry (`before`,
/// `after`). Members are the record's stored fields, dates as RFC 3339 UTC milliseconds; the
/// listing in docs/storage.md lets anyone holding a record recompute its digest.
protocol RegistrySnapshot {
    var snapshot: CanonicalJSON { get }
}

extension CanonicalJSON {
    static func date(_ date: Date?) -> CanonicalJSON? {
        date.map { .string(Timestamp.format(milliseconds: SQLiteStore.milliseconds($0))) }
    }

    /// An object from members, leaving out absent ones.
    static func members(_ members: [String: CanonicalJSON?]) -> CanonicalJSON {
        .object(members.compactMapValues { $0 })
    }
}

extension Agency: RegistrySnapshot {
    var snapshot: CanonicalJSON {
        .members(["id": .string(id), "name": .string(name), "status": .string(status.rawValue), "createdAt": .date(createdAt)])
    }
}

extension SignatureKey: RegistrySnapshot {
    var snapshot: CanonicalJSON {
        .members([
            "keyId": .string(keyId), "agencyId": .string(agencyId), "algorithm": .string(algorithm.rawValue),
            "publicKeyDigest": .string(AuditEvent.digest(of: Data(publicKeyPEM.utf8))),
            "notBefore": .date(notBefore), "notAfter": .date(notAfter), "revokedAt": .date(revokedAt),
            "createdAt": .date(createdAt),
        ])
    }
}

extension ProviderEndpoint: RegistrySnapshot {
    var snapshot: CanonicalJSON {
        let timeout = timeout.components
        return .members([
            "providerId": .string(providerId), "urls": .array(urls.map(CanonicalJSON.string)),
            "timeoutMs": .integer(Int(timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000)),
            "tlsCaFile": tls.caFile.map(CanonicalJSON.string),
            "tlsClientCertificateFile": tls.clientCertificateFile.map(CanonicalJSON.string),
            "tlsClientKeyFile": tls.clientKeyFile.map(CanonicalJSON.string),
        ])
    }
}

extension ContractRecord: RegistrySnapshot {
    var snapshot: CanonicalJSON {
        .members([
            "provider": .string(provider), "service": .string(service), "version": .integer(version),
            "digest": .string(digest), "consumers": .array(consumers.map(CanonicalJSON.string)),
            "publishedAt": .date(publishedAt), "deprecatedAt": .date(deprecatedAt), "sunsetAt": .date(sunsetAt),
        ])
    }
}

extension Grant: RegistrySnapshot {
    var snapshot: CanonicalJSON {
        .members([
            "consumer": .string(consumer), "provider": .string(provider), "service": .string(service),
            "version": .integer(version),
        ])
    }
}
