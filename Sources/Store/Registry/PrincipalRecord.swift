import Foundation

/// An operator or auditor: a person's (or a tool's) client certificate registered with a role.
///
/// A certificate whose subject says `OU=operator` or `OU=auditor` is not enough on its own: the
/// admin and audit APIs admit only certificates registered here, by SHA-256 fingerprint.
public struct PrincipalRecord: Codable, Sendable, Hashable {
    /// What a principal may do.
    public enum Role: String, Codable, Sendable, Hashable, CaseIterable {
        /// Uses the admin API.
        case `operator`
        /// Uses the audit API.
        case auditor
    }

    /// Unique name, e.g. `alice`; audit entries name the principal `operator:alice`.
    public var name: String
    /// The role.
    public var role: Role
    /// SHA-256 of the certificate's DER bytes, lowercase hex.
    public var certificateFingerprint: String
    /// The certificate's subject, for people reading a listing.
    public var subject: String
    /// When the certificate expires.
    public var notAfter: Date
    /// When the principal was registered.
    public var createdAt: Date

    /// Creates a record.
    public init(
        name: String, role: Role, certificateFingerprint: String, subject: String, notAfter: Date, createdAt: Date = Date()
    ) {
        self.name = name
        self.role = role
        self.certificateFingerprint = certificateFingerprint
        self.subject = subject
        self.notAfter = notAfter
        self.createdAt = createdAt
    }
}
