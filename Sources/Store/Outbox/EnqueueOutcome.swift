import Audit

/// What storing a new asynchronous message did: stored it, or found its idempotency key used
/// before and stored nothing.
public enum EnqueueOutcome: Sendable, Hashable {
    /// The message, its audit entries (returned) and its completed key, if any, are committed.
    case enqueued([AuditEntry])
    /// The same request under the key has an outcome: answer it again (for a message: its 202).
    case replay(IdempotencyRecord)
    /// The same request under the key is a synchronous exchange not finished yet: 409.
    case inFlight(IdempotencyRecord)
    /// A different request under the key: 422.
    case mismatch(IdempotencyRecord)

    /// What the key's claim found when it did not start: the message is not stored. Nil for `started`.
    init?(refusing claim: IdempotencyClaim) {
        switch claim {
        case .started: return nil
        case .replay(let first): self = .replay(first)
        case .inFlight(let first): self = .inFlight(first)
        case .mismatch(let first): self = .mismatch(first)
        }
    }
}
