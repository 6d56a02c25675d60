import Audit
import Foundation
import GRDB

/// Who made an admin change and what it was, recorded in the same transaction as the change.
public struct AdminRecord: Sendable {
    /// The audit kind, e.g. `admin.agency.added`.
    public var kind: AuditEvent.Kind
    /// The principal, as audit entries name it (`operator:alice`).
    public var actor: String
    /// What the change acts on, e.g. `moj/criminal-record-certificate/v1`.
    public var target: String
    /// Short free text; never a key or payload.
    public var detail: String?

    /// Creates a record.
    public init(_ kind: AuditEvent.Kind, actor: String, target: String, detail: String? = nil) {
        self.kind = kind
        self.actor = actor
        self.target = target
        self.detail = detail
    }

    /// The audit event, with the digests of the target's record before and after the change.
    func event(before: CanonicalJSON?, after: CanonicalJSON?) throws(AuditError) -> AuditEvent {
        AuditEvent(
            kind: kind, actor: actor, target: target, detail: detail,
            before: try before.map(Self.digest), after: try after.map(Self.digest)
        )
    }

    /// `sha-256=:BASE64:` over the RFC 8785 bytes of a record snapshot.
    public static func digest(_ snapshot: CanonicalJSON) throws(AuditError) -> String {
        AuditEvent.digest(of: try snapshot.canonicalBytes())
    }
}

/// What one admin change did: its result and the target's record before and after it.
struct AdminChange<Result: Sendable>: Sendable {
    var result: Result
    var before: CanonicalJSON?
    var after: CanonicalJSON?

    /// Whether the stored state changed; an unchanged target records no entry.
    var changed: Bool { before != after }
}

extension SQLiteStore {
    /// Runs `change` in one write transaction and, when `record` is given and the target changed,
    /// appends its audit entry in that same transaction: the change and its entry commit together
    /// or not at all.
    func writeAudited<Result: Sendable>(
        _ operation: String,
        _ record: AdminRecord?,
        _ change: @escaping @Sendable (Database) throws -> AdminChange<Result>
    ) async throws(StoreError) -> Result {
        let now = configuration.now()
        return try await write(operation) { db in
            let outcome = try change(db)
            if let record, outcome.changed {
                _ = try Self.appendAudit([try record.event(before: outcome.before, after: outcome.after)], at: now, db)
            }
            return outcome.result
        }
    }
}
