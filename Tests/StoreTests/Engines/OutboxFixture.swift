import Audit
import Foundation
import Store

/// What the delivery suites need of a store: the outbox and idempotency keys, and the audit log to
/// check the entries written with them.
typealias DeliveryTestStore = any DeliveryStore & AuditStore & RegistryStore

/// Outbox messages and events the delivery suites store.
enum OutboxFixture {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// A pending message due `offset` seconds after `start`, created `created` seconds after it.
    static func message(
        _ id: String, due offset: TimeInterval = 0, created: TimeInterval = 0, provider: String = "moj",
        body: [UInt8] = Array("{}".utf8)
    ) -> OutboxMessage {
        OutboxMessage(
            id: id, consumer: "mol", provider: provider, service: "records", version: 1, operation: "POST /certificates",
            method: "POST", pathAndQuery: "/certificates?lang=en",
            headers: [OutboxHeader(name: "Content-Type", value: "application/json"), OutboxHeader(name: "Idempotency-Key", value: "k-\(id)")],
            body: body, idempotencyKey: "k-\(id)", nextAttemptAt: start.addingTimeInterval(offset),
            expiresAt: start.addingTimeInterval(86_400), createdAt: start.addingTimeInterval(created)
        )
    }

    /// The audit event of an accepted request.
    static func accepted(_ id: String) -> [AuditEvent] {
        [AuditEvent(kind: .requestAccepted, exchangeId: id, consumer: "mol", provider: "moj", service: "records", serviceVersion: 1, status: 202)]
    }
}

/// A suite that stores outbox messages: `start` and `message(...)` without the `OutboxFixture.` prefix.
protocol OutboxSuite {}

extension OutboxSuite {
    var start: Date { OutboxFixture.start }

    func message(
        _ id: String, due offset: TimeInterval = 0, created: TimeInterval = 0, provider: String = "moj",
        body: [UInt8] = Array("{}".utf8)
    ) -> OutboxMessage {
        OutboxFixture.message(id, due: offset, created: created, provider: provider, body: body)
    }
}

extension DeliveryStore {
    /// Enqueues each message with its accepted event (none when `audited` is false).
    func enqueueAll(_ messages: OutboxMessage..., audited: Bool = true) async throws {
        for message in messages {
            _ = try await enqueue(message, auditing: audited ? OutboxFixture.accepted(message.id) : [], idempotency: nil)
        }
    }
}
