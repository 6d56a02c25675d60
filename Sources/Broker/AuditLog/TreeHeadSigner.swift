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
    /// otherwise a newly signed and stored one. Time never runs backwards between heads.
    func signCurrent() async throws(Problem) -> StoredTreeHead {
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
        } catch {
            throw Problem(error)
        }
    }

    /// The latest head if it covers at least `size` entries, otherwise a fresh one.
    func head(covering size: Int) async throws(Problem) -> StoredTreeHead {
        let latest: StoredTreeHead?
        do { latest = try await store.latestTreeHead() } catch { throw Problem(error) }
        if let latest, latest.size >= size { return latest }
        return try await signCurrent()
    }

    private func sign(_ head: TreeHead) throws(Problem) -> SignedTreeHead {
        do {
            return try SignedTreeHead(signing: head, origin: origin, key: key)
        } catch {
            throw Problem(.internalError, "The tree head could not be signed.", underlying: error)
        }
    }
}

/// Runs the signer's timer for the node's lifetime and signs a last head on shutdown, so every
/// entry written before a clean stop is covered by a signature.
struct TreeHeadService: Service {
    let signer: TreeHeadSigner
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await signLogged()
        }
        await signLogged()
    }

    private func signLogged() async {
        do {
            let head = try await signer.signCurrent()
            logger.debug("tree head", metadata: ["audit.tree.size": "\(head.size)"])
        } catch {
            logger.warning("tree head not signed", metadata: ["problem.type": "\(error.type.name)"])
        }
    }
}
