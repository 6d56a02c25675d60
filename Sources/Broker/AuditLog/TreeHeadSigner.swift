import Audit
import Foundation
import Logging
import ServiceLifecycle
import Store

/// Signs the audit log's tree heads with Rabt's audit key: on demand, and on a timer while the
/// log grows. Heads are C2SP checkpoints (see docs/audit.md) and are stored as signed.
actor TreeHeadSigner {
    let store: any ExchangeStore
    let key: AuditSigningKey
    /// The checkpoint origin; also the key name.
    let origin: String
    private let now: @Sendable () -> Date

    init(store: any ExchangeStore, key: AuditSigningKey, origin: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.key = key
        self.origin = origin
        self.now = now
    }

    /// The verifier key auditors pin, `<name>+<key id>+<base64 key>`.
    nonisolated var verifierKey: String { key.verifyingKey.verifierKey }

    /// A head for the tree as it stands: the latest stored one when the tree has not grown since,
    /// otherwise a newly signed and stored one. Time never runs backwards between heads: when
    /// another node stores a head between this node's reading and its saving, and this head
    /// would be out of time order with it, the store refuses it and the tree is read and signed
    /// again (at most three times).
    func signCurrent() async throws(Problem) -> StoredTreeHead {
        var attempt = 0
        while true {
            attempt += 1
            let state: AuditTreeState
            let latest: StoredTreeHead?
            do {
                state = try await store.auditTreeState()
                latest = try await store.latestTreeHead()
            } catch {
                throw Problem(error)
            }
            if let latest, latest.size == state.size { return latest }
            if let latest, latest.size > state.size {
                // Entries are never deleted: a shorter log than a signed head means tampering.
                throw Problem(.internalError, "The audit log holds \(state.size) entries but a head over \(latest.size) was signed: entries were removed. Nothing is signed.")
            }
            let time = max(now(), latest?.timestamp ?? .distantPast)
            let signed = try sign(TreeHead(size: state.size, rootHash: state.rootHash, timestamp: time))
            do {
                return try await store.saveTreeHead(StoredTreeHead(
                    size: signed.head.size, rootHash: signed.head.rootHash, timestamp: signed.head.timestamp, note: signed.note
                ))
            } catch where error.code == .conflict && attempt < 3 {
                continue
            } catch {
                throw Problem(error)
            }
        }
    }

    /// The latest head if it covers at least `size` entries, otherwise a fresh one.
    func head(covering size: Int) async throws(Problem) -> StoredTreeHead {
        let latest: StoredTreeHead?
        do { latest = try await store.latestTreeHead() } catch { throw Problem(error) }
        if let latest, latest.size >= size { return latest }
        return try await signCurrent()
    }

    /// The timer's head: signed only by the node holding the audit sequencer role (always the one
    /// node on SQLite; on PostgreSQL one node at a time, another taking over when it stops), so
    /// several nodes do not each sign a head every interval.
    func signOnSchedule(logger: Logger) async {
        do throws(Problem) {
            let holds: Bool
            do { holds = try await store.holdsSequencerRole() } catch { throw Problem(error) }
            guard holds else { return }
            let head = try await signCurrent()
            logger.debug("tree head", metadata: ["audit.tree.size": "\(head.size)"])
        } catch {
            logger.warning("tree head not signed", metadata: ["problem.type": "\(error.type.name)"])
        }
    }

    private func sign(_ head: TreeHead) throws(Problem) -> SignedTreeHead {
        do {
            return try SignedTreeHead(signing: head, origin: origin, key: key)
        } catch {
            throw Problem(.internalError, "The tree head could not be signed.", underlying: error)
        }
    }
}
