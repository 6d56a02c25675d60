import Audit
import Foundation

/// The audit log operations both engines offer, with the same behaviour and error codes.
///
/// Appends are serialised by the engine, so sequence numbers stay consecutive and every stored
/// Merkle node matches its leaves however many nodes (processes) append at once.
public protocol AuditStore: Sendable {
    /// Appends events, and the sealed bodies of their exchanges, in one transaction; returns the entries.
    func appendAudit(_ events: [AuditEvent], bodies: [AuditBody]) async throws(StoreError) -> [AuditEntry]
    /// Entries with a sequence greater than `sequence` (from the start when nil), in order, at most `limit`.
    func auditEntries(after sequence: Int?, limit: Int) async throws(StoreError) -> [AuditEntry]
    /// All entries of one exchange, in order.
    func auditEntries(exchangeId: String) async throws(StoreError) -> [AuditEntry]
    /// The entry with `sequence`, or nil when the log is shorter.
    func auditEntry(sequence: Int) async throws(StoreError) -> AuditEntry?
    /// The stored canonical JSON text of entries in `range`, in order.
    func auditCanonicalTexts(_ range: Range<Int>) async throws(StoreError) -> [String]
    /// The stored leaf hashes of entries in `range`, in order.
    func auditLeafHashes(_ range: Range<Int>) async throws(StoreError) -> [MerkleHash]
    /// Number of entries: the next sequence number and the tree size.
    func auditCount() async throws(StoreError) -> Int

    /// The current size of the log and its root hash, read in one snapshot.
    func auditTreeState() async throws(StoreError) -> AuditTreeState
    /// MTH of the first `treeSize` entries; `invalid-argument` outside the log.
    func auditRootHash(treeSize: Int) async throws(StoreError) -> MerkleHash
    /// The inclusion proof of `leafIndex` in the tree of `treeSize` entries.
    func auditInclusionProof(leafIndex: Int, treeSize: Int) async throws(StoreError) -> InclusionProof
    /// The consistency proof between two tree sizes.
    func auditConsistencyProof(from first: Int, to second: Int) async throws(StoreError) -> ConsistencyProof
    /// An entry with its text, leaf hash, inclusion proof and root for `treeSize` (the log when nil).
    func auditProvenEntry(sequence: Int, treeSize: Int?) async throws(StoreError) -> ProvenAuditEntry?
    /// The Merkle frontier of the first `size` entries.
    func auditFrontier(size: Int) async throws(StoreError) -> MerkleFrontier
    /// Recomputes every leaf and node and checks them and the stored heads.
    func verifyAuditTree() async throws(StoreError) -> AuditTreeCheck

    /// Stores a signed tree head (one per size; an existing one is kept and returned); `conflict`
    /// for a head older than a stored smaller one or newer than a stored larger one.
    @discardableResult
    func saveTreeHead(_ head: StoredTreeHead) async throws(StoreError) -> StoredTreeHead
    /// The head of the largest size, or nil.
    func latestTreeHead() async throws(StoreError) -> StoredTreeHead?
    /// The head of exactly `size` entries, if one was signed.
    func treeHead(size: Int) async throws(StoreError) -> StoredTreeHead?
    /// The smallest head covering at least `size` entries.
    func treeHead(covering size: Int) async throws(StoreError) -> StoredTreeHead?
    /// Heads whose size lies in `sizes`, smallest first, at most `limit`.
    func treeHeads(sizes: ClosedRange<Int>, limit: Int) async throws(StoreError) -> [StoredTreeHead]
    /// Whether this process signs tree heads now. SQLite has one process, which always does; on
    /// PostgreSQL it is the one node holding the sequencer lock, which another node takes over
    /// once the holder's session ends.
    func holdsSequencerRole() async throws(StoreError) -> Bool

    /// Stores one sealed body part of an exchange; `conflict` if stored already.
    func saveAuditBody(exchangeId: String, part: AuditBody.Part, sealed: Data) async throws(StoreError)
    /// The sealed body parts stored for an exchange.
    func auditBodies(exchangeId: String) async throws(StoreError) -> [AuditBody]
    /// One page of entries matching `query`.
    func searchAudit(_ query: AuditQuery) async throws(StoreError) -> AuditPage
}

extension AuditStore {
    /// The canonical texts of `range` as consecutive batches of at most `batchSize` lines, read
    /// one batch per step, so an export of any length holds one batch in memory.
    public func auditTextBatches(_ range: Range<Int>, batchSize: Int = 4096) -> AuditTextBatches {
        AuditTextBatches(store: self, range: range, batchSize: max(1, batchSize))
    }
}

/// The asynchronous outbox and idempotency keys both engines offer.
///
/// Claims hand each due message to one caller at a time, across every process sharing the store.
public protocol DeliveryStore: Sendable {
    /// Stores a new pending message with its audit entries in one transaction. With `idempotency`,
    /// the same transaction claims the message's `idempotencyKey` and keeps it completed with the
    /// given answer; a key already holding a request stores nothing and says what it holds.
    func enqueue(
        _ message: OutboxMessage, auditing events: [AuditEvent], idempotency: IdempotencyClaimRequest?
    ) async throws(StoreError) -> EnqueueOutcome
    /// Leases up to `limit` due messages (pending and due, or delivering with a lapsed lease).
    func claimOutbox(now: Date, limit: Int, lease: Duration) async throws(StoreError) -> [OutboxMessage]
    /// Ends an attempt with its audit entries (and an optional follow-up message) in one transaction.
    func finishOutbox(
        id: String, _ outcome: OutboxOutcome, now: Date, auditing events: [AuditEvent], attempt: Int?,
        followUp: OutboxMessage?
    ) async throws(StoreError) -> OutboxMessage
    /// The message with `id`, or nil.
    func outboxMessage(id: String) async throws(StoreError) -> OutboxMessage?
    /// Messages in `states` (all when empty), optionally of one provider, by id after `cursorId`.
    func outboxMessages(
        states: [OutboxMessage.State], provider: String?, limit: Int, after cursorId: String?
    ) async throws(StoreError) -> [OutboxMessage]
    /// Number of messages in each state.
    func outboxCounts() async throws(StoreError) -> [OutboxMessage.State: Int]
    /// Makes a dead message pending again, audited.
    func resendOutbox(
        id: String, now: Date, expiresAt newExpiry: Date, recording record: AdminRecord
    ) async throws(StoreError) -> OutboxMessage
    /// Discards a dead message, audited.
    func discardOutbox(id: String, now: Date, recording record: AdminRecord) async throws(StoreError) -> OutboxMessage

    /// Claims an idempotency key for a new exchange, or reports the earlier one.
    func claimIdempotencyKey(
        consumer: String, scope: String, key: String, requestDigest: String, exchangeId: String, now: Date, window: Duration,
        abandonAfter: Duration?
    ) async throws(StoreError) -> IdempotencyClaim
    /// Stores the outcome of a claimed key, its body already in `bodyForm`.
    func completeIdempotencyKey(
        consumer: String, scope: String, key: String, status: Int, headers: [OutboxHeader], body: [UInt8]?,
        bodyForm: IdempotencyRecord.BodyForm, exchangeId: String?
    ) async throws(StoreError)
    /// Frees a key whose exchange did not happen.
    func releaseIdempotencyKey(consumer: String, scope: String, key: String, exchangeId: String) async throws(StoreError)
    /// Removes at most `limit` expired keys; returns how many.
    func pruneIdempotencyKeys(now: Date, limit: Int) async throws(StoreError) -> Int
    /// The stored record of a key, or nil.
    func idempotencyRecord(consumer: String, scope: String, key: String) async throws(StoreError) -> IdempotencyRecord?
}

/// Everything a broker node keeps: one engine, embedded (`SQLiteStore`) or shared by several
/// nodes (`PostgresStore`).
public protocol ExchangeStore: RegistryStore, AuditStore, DeliveryStore {
    /// Releases the engine's connections; later calls fail with `store-unavailable`.
    func close() async throws(StoreError)
}

extension SQLiteStore: ExchangeStore {
    /// Always true: one process owns an SQLite log.
    public func holdsSequencerRole() async throws(StoreError) -> Bool { true }
}

extension PostgresStore: ExchangeStore {}
