import Audit

/// Batches audit appends from many concurrent callers into shared transactions (group commit).
///
/// A caller's `record` returns once its entries are committed, so the Broker can answer only after
/// the log holds the exchange. No background task exists: the caller that finds the writer idle
/// commits a batch itself, then hands the next batch to the oldest waiter. The queue is bounded:
/// when it holds `capacity` events or `bodyCapacity` bytes of sealed bodies, `record` fails at
/// once with `audit-unavailable` instead of growing memory.
public actor AuditLogWriter {
    /// Limits of the writer.
    public struct Configuration: Sendable {
        /// Most events waiting for a commit before callers are refused.
        public var capacity: Int
        /// Most events committed in one transaction.
        public var maxBatch: Int
        /// Most bytes of sealed bodies waiting for a commit before callers are refused.
        public var bodyCapacity: Int

        /// Creates a configuration; every field has a default.
        public init(capacity: Int = 10_000, maxBatch: Int = 512, bodyCapacity: Int = 64 << 20) {
            self.capacity = max(1, capacity)
            self.maxBatch = max(1, maxBatch)
            self.bodyCapacity = max(0, bodyCapacity)
        }
    }

    private enum Outcome: Sendable {
        case done(Result<[AuditEntry], StoreError>)
        case lead
    }

    private struct Pending {
        var ticket: Int
        var events: [AuditEvent]
        var bodies: [AuditBody]
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    private let store: any AuditStore
    private let configuration: Configuration
    private var queue: [Pending] = []
    private var queuedEvents = 0
    private var queuedBodyBytes = 0
    private var nextTicket = 0
    private var isCommitting = false

    /// Creates a writer appending to `store`.
    public init(store: any AuditStore, configuration: Configuration = Configuration()) {
        self.store = store
        self.configuration = configuration
    }

    /// Number of events waiting for a commit.
    public var backlog: Int { queuedEvents }

    /// Transactions attempted so far (committed or failed): with many callers, fewer than the calls.
    public private(set) var batchCount = 0

    /// Appends one event and returns its entry once committed.
    public func record(_ event: AuditEvent) async throws(StoreError) -> AuditEntry {
        try await record([event])[0]
    }

    /// Appends events (kept consecutive), with the sealed bodies of their exchanges, and returns
    /// the entries once both are committed in one transaction.
    ///
    /// A body that exists already for its exchange and part fails the whole batch it shares with
    /// other callers (`conflict`), so the Broker stores each part of an exchange once.
    public func record(_ events: [AuditEvent], bodies: [AuditBody] = []) async throws(StoreError) -> [AuditEntry] {
        guard !events.isEmpty else { return [] }
        let bodyBytes = bodies.reduce(0) { $0 + $1.sealed.count }
        guard queuedEvents + events.count <= configuration.capacity,
              queuedBodyBytes + bodyBytes <= configuration.bodyCapacity
        else {
            throw StoreError(code: .auditUnavailable, message: "audit queue is full")
        }
        let ticket = nextTicket
        nextTicket += 1
        queuedEvents += events.count
        queuedBodyBytes += bodyBytes
        if !isCommitting {
            // Idle means the queue is empty, so this caller's events head the next batch.
            isCommitting = true
            queue.append(Pending(ticket: ticket, events: events, bodies: bodies, continuation: nil))
            return try await commitBatch(leader: ticket).get()
        }
        let outcome = await withCheckedContinuation { continuation in
            queue.append(Pending(ticket: ticket, events: events, bodies: bodies, continuation: continuation))
        }
        switch outcome {
        case .done(let result):
            return try result.get()
        case .lead:
            return try await commitBatch(leader: ticket).get()
        }
    }

    /// Commits the batch at the head of the queue (which starts with the leader's events) and
    /// passes the lead on; returns the leader's own result.
    private func commitBatch(leader: Int) async -> Result<[AuditEntry], StoreError> {
        var batch: [Pending] = []
        var count = 0
        var taken = 0
        while taken < queue.count {
            let next = queue[taken]
            if !batch.isEmpty && count + next.events.count > configuration.maxBatch { break }
            batch.append(next)
            count += next.events.count
            taken += 1
        }
        queue.removeFirst(taken)
        queuedEvents -= count
        let bodies = batch.flatMap(\.bodies)
        queuedBodyBytes -= bodies.reduce(0) { $0 + $1.sealed.count }

        var results = await append(batch, bodies: bodies)
        if case .failure(let error) = results[0], error.code == .invalidArgument, batch.count > 1 {
            // Rare: an event that cannot be canonicalised. Checking every event up front would
            // canonicalise each one twice; instead the batch is retried without the callers whose
            // events fail, so one bad event never fails the callers it shared a batch with.
            let good = batch.indices.filter { Self.canBeCanonicalised(batch[$0].events) }
            let retried = good.isEmpty ? [] : await append(good.map { batch[$0] }, bodies: good.flatMap { batch[$0].bodies })
            results = batch.indices.map { _ in .failure(error) }
            for (index, result) in zip(good, retried) {
                results[index] = result
            }
        }

        // The next leader is woken before the callers just served: woken tasks queue up on the
        // executor in resume order, and the next commit should not wait behind hundreds of them.
        if queue.isEmpty {
            isCommitting = false
        } else {
            let next = queue[0].continuation
            queue[0].continuation = nil
            next?.resume(returning: .lead)
        }

        var own: Result<[AuditEntry], StoreError> = .failure(
            StoreError(code: .auditUnavailable, message: "audit batch lost its leader")
        )
        for (pending, share) in zip(batch, results) {
            if pending.ticket == leader {
                own = share
            } else {
                pending.continuation?.resume(returning: .done(share))
            }
        }
        return own
    }

    /// Commits one transaction for `batch` and splits the outcome per caller.
    private func append(_ batch: [Pending], bodies: [AuditBody]) async -> [Result<[AuditEntry], StoreError>] {
        batchCount += 1
        do {
            let entries = try await store.appendAudit(batch.flatMap(\.events), bodies: bodies)
            var offset = 0
            return batch.map { pending in
                defer { offset += pending.events.count }
                return .success(Array(entries[offset..<offset + pending.events.count]))
            }
        } catch {
            return batch.map { _ in .failure(error) }
        }
    }

    private static func canBeCanonicalised(_ events: [AuditEvent]) -> Bool {
        events.allSatisfy { event in
            (try? AuditEntry(sequence: 0, timeMilliseconds: 0, event: event).canonicalBytes()) != nil
        }
    }
}
