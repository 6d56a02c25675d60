import Audit
import Contracts
import Foundation
import Hummingbird
import Store

/// Asynchronous messages for operators: counts by state, listing (dead letters first of all),
/// one message, and resending or discarding a dead letter. Each action is audited with the
/// message's state before and after; bodies are never shown.
extension AdminController {
    func registerMessages(on admin: RouterGroup<BrokerRequestContext>) {
        admin.get("/messages") { request, _ in try await listMessages(request) }
        admin.get("/messages/:id") { _, context in try await showMessage(context.parameters.get("id") ?? "") }
        admin.post("/messages/:id/resend") { _, context in
            try await changeMessage(context.principal(), context.parameters.get("id") ?? "", resend: true)
        }
        admin.post("/messages/:id/discard") { _, context in
            try await changeMessage(context.principal(), context.parameters.get("id") ?? "", resend: false)
        }
    }

    private func listMessages(_ request: Request) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["state", "provider", "limit", "after"])
        var states: [OutboxMessage.State] = []
        if let text = parameters.string("state") {
            for name in text.split(separator: ",") {
                guard let state = OutboxMessage.State(rawValue: String(name)) else {
                    let known = OutboxMessage.State.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Problem(.badRequest, "Unknown state '\(name.prefix(40))'; use \(known).")
                }
                states.append(state)
            }
        }
        let limit = try parameters.integer("limit", in: 1...1000) ?? 100
        do {
            let messages = try await store.outboxMessages(
                states: states, provider: parameters.string("provider"), limit: limit, after: parameters.string("after")
            )
            let counts = try await store.outboxCounts()
            return .json(MessageList(
                messages: messages.map { MessageView($0) },
                counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                nextCursor: messages.count == limit ? messages.last?.id : nil
            ))
        } catch {
            throw Problem(error)
        }
    }

    private func showMessage(_ id: String) async throws(Problem) -> Response {
        let message: OutboxMessage?
        do { message = try await store.outboxMessage(id: id) } catch { throw Problem(error) }
        guard let message else {
            throw Problem(.notFound, "No asynchronous message '\(id.prefix(80))'; list them with `rabt message list`.")
        }
        return .json(MessageView(message, withResponse: true))
    }

    /// A dead letter sent again (a fresh delivery horizon from the contract) or discarded.
    private func changeMessage(_ actor: Principal, _ id: String, resend: Bool) async throws(Problem) -> Response {
        let now = Date()
        do {
            let changed: OutboxMessage
            if resend {
                let message = try await store.outboxMessage(id: id)
                let horizon = message.flatMap { catalog.contract(provider: $0.provider, service: $0.service, version: $0.version) }?
                    .contract.exchange.asyncRetryFor ?? .seconds(24 * 3600)
                changed = try await store.resendOutbox(
                    id: id, now: now, expiresAt: now.addingTimeInterval(Double(horizon.milliseconds) / 1000),
                    recording: AdminRecord(.messageResent, actor: "\(actor)", target: id, detail: "delivery restarts")
                )
            } else {
                changed = try await store.discardOutbox(
                    id: id, now: now, recording: AdminRecord(.messageDiscarded, actor: "\(actor)", target: id, detail: "will not be delivered")
                )
            }
            return .json(MessageView(changed))
        } catch let error where error.code == .notFound {
            throw Problem(.notFound, "No asynchronous message '\(id.prefix(80))'; list them with `rabt message list`.")
        } catch let error where error.code == .conflict {
            throw Problem(.conflict, "Message '\(id.prefix(80))' is not a dead letter; only dead letters are resent or discarded.")
        } catch {
            throw Problem(error)
        }
    }
}

/// `GET /admin/messages`.
public struct MessageList: Codable, Sendable {
    public var messages: [MessageView]
    /// Messages per state, every state present.
    public var counts: [String: Int]
    /// Pass as `after` for the next page.
    public var nextCursor: String?
}
