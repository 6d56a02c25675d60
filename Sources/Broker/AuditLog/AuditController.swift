import Audit
import Foundation
import Hummingbird
import Store

/// The audit API: auditors search the log, read entries with their inclusion proofs, fetch
/// signed tree heads and consistency proofs, export ranges and read kept bodies. Only principals
/// with the auditor role are admitted; exports and body reads are themselves audit entries.
struct AuditController: Sendable {
    let store: any ExchangeStore
    let signer: TreeHeadSigner
    let bodies: AuditBodyKeeper
    let audit: AuditLogWriter
    /// The middleware of every audit route: auditors only, no request body.
    let gate: RoleGate

    /// The routes under `/audit`, all behind ``gate``.
    func register(on router: Router<BrokerRequestContext>) {
        let api = router.group("/audit").add(middleware: gate)
        api.get("/entries") { request, _ in try await search(request) }
        api.get("/entries/:sequence") { request, context in try await show(context.parameters.get("sequence") ?? "", request) }
        api.get("/checkpoint") { _, _ in try await checkpoint(try await signer.head(covering: 0)) }
        api.post("/checkpoint") { _, _ in try await checkpoint(try await signer.signCurrent()) }
        api.get("/tree-heads") { request, _ in try await treeHeads(request) }
        api.get("/consistency") { request, _ in try await consistency(request) }
        api.get("/export") { request, context in try await export(request, context.principal()) }
        api.get("/exchanges/:exchange/bodies") { _, context in
            try await readBodies(context.parameters.get("exchange") ?? "", context.principal())
        }
    }

    // MARK: - Search and entries

    private func search(_ request: Request) async throws(Problem) -> Response {
        let query = try AuditQueryParameters(request, allowed: AuditQueryParameters.searchNames).query()
        let page: AuditPage
        do { page = try await store.searchAudit(query) } catch { throw Self.problem(error) }
        var texts: [String] = []
        for entry in page.entries {
            texts.append(try Self.canonicalText(entry))
        }
        return AuditJSON.response(AuditJSON.object([
            ("entries", "[" + texts.joined(separator: ",") + "]"),
            ("nextCursor", page.nextCursor.map(AuditJSON.string) ?? "null"),
        ]))
    }

    private func show(_ text: String, _ request: Request) async throws(Problem) -> Response {
        _ = try AuditQueryParameters(request, allowed: [])
        guard let sequence = Int(text), sequence >= 0 else {
            throw Problem(.badRequest, "An entry is named by its sequence number, a non-negative integer.")
        }
        let count: Int
        do { count = try await store.auditCount() } catch { throw Problem(error) }
        guard sequence < count else { throw Problem(.notFound, "The log has \(count) entries; there is no entry \(sequence).") }
        let head = try await signer.head(covering: sequence + 1)
        let proven: ProvenAuditEntry?
        do { proven = try await store.auditProvenEntry(sequence: sequence, treeSize: head.size) } catch { throw Self.problem(error) }
        guard let proven else { throw Problem(.notFound, "There is no entry \(sequence).") }
        return AuditJSON.response(AuditJSON.object([
            ("entry", proven.canonicalText),
            ("leafHash", AuditJSON.string(proven.leafHash.base64)),
            ("inclusionProof", AuditJSON.object([
                ("leafIndex", "\(proven.proof.leafIndex)"),
                ("treeSize", "\(proven.proof.treeSize)"),
                ("path", AuditJSON.hashes(proven.proof.path)),
            ])),
            ("treeHead", AuditJSON.string(head.note)),
        ]))
    }

    // MARK: - Heads and proofs

    private func checkpoint(_ head: StoredTreeHead) async throws(Problem) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: head.note))
        )
    }

    private func treeHeads(_ request: Request) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["from", "to", "limit"])
        let from = try parameters.integer("from") ?? 0
        let to = try parameters.integer("to") ?? Int.max
        guard from <= to else { throw Problem(.badRequest, "'from' must not exceed 'to'.") }
        let limit = try parameters.integer("limit", in: 1...1000) ?? 1000
        let heads: [StoredTreeHead]
        do { heads = try await store.treeHeads(sizes: from...to, limit: limit) } catch { throw Self.problem(error) }
        return AuditJSON.response(AuditJSON.object([
            ("treeHeads", "[" + heads.map { AuditJSON.string($0.note) }.joined(separator: ",") + "]"),
            ("verifierKey", AuditJSON.string(signer.verifierKey)),
        ]))
    }

    private func consistency(_ request: Request) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["from", "to"])
        guard let from = try parameters.integer("from"), let to = try parameters.integer("to") else {
            throw Problem(.badRequest, "Give both tree sizes: ?from=M&to=N.")
        }
        let proof: ConsistencyProof
        do { proof = try await store.auditConsistencyProof(from: from, to: to) } catch { throw Self.problem(error) }
        return AuditJSON.response(AuditJSON.object([
            ("firstSize", "\(proof.firstSize)"),
            ("secondSize", "\(proof.secondSize)"),
            ("path", AuditJSON.hashes(proof.path)),
        ]))
    }

    // MARK: - Export and bodies

    /// Entries `from..<to` as an export. `to` defaults to the whole log and is extended to the
    /// next signed head (signing one when needed), so every exported entry is covered by a signature.
    private func export(_ request: Request, _ actor: Principal) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["from", "to"])
        let latest = try await signer.signCurrent()
        let from = try parameters.integer("from") ?? 0
        let requested = try parameters.integer("to") ?? latest.size
        guard from <= requested else { throw Problem(.badRequest, "'from' must not exceed 'to'.") }
        guard requested <= latest.size else {
            throw Problem(.badRequest, "The log has \(latest.size) entries; 'to' may be at most \(latest.size).")
        }
        let end: StoredTreeHead?
        do { end = try await store.treeHeads(sizes: requested...latest.size, limit: 1).first } catch { throw Self.problem(error) }
        let to = end?.size ?? latest.size
        try await record(AuditEvent(kind: .auditExported, actor: actor.description, target: "entries \(from)..<\(to)",
                                    detail: "export of \(to - from) entries"))
        let stream = AuditExportStream(store: store, origin: signer.origin, verifierKey: signer.verifierKey, from: from, to: to)
        return Response(
            status: .ok,
            headers: [.contentType: "application/jsonl", .contentDisposition: "attachment; filename=\"rabt-audit-\(from)-\(to).jsonl\""],
            body: ResponseBody { writer in try await stream.write(to: &writer) }
        )
    }

    private func readBodies(_ exchangeId: String, _ actor: Principal) async throws(Problem) -> Response {
        let stored: [AuditBody]
        do { stored = try await store.auditBodies(exchangeId: exchangeId) } catch { throw Problem(error) }
        guard !stored.isEmpty else {
            throw Problem(.notFound, "No bodies are kept for exchange '\(exchangeId)' (only contracts with audit body: full keep them).")
        }
        var members: [String] = []
        for body in stored {
            let plain = try bodies.open(body)
            let text = String(validating: plain, as: UTF8.self)
            members.append(AuditJSON.object([
                ("part", AuditJSON.string(body.part.rawValue)),
                (text == nil ? "base64" : "text", AuditJSON.string(text ?? Data(plain).base64EncodedString())),
                ("digest", AuditJSON.string(AuditEvent.digest(of: plain))),
            ]))
        }
        try await record(AuditEvent(kind: .auditBodyRead, exchangeId: exchangeId, actor: actor.description,
                                    target: "exchange \(exchangeId)", detail: "\(stored.count) bodies read"))
        return AuditJSON.response(AuditJSON.object([
            ("exchangeId", AuditJSON.string(exchangeId)), ("bodies", "[" + members.joined(separator: ",") + "]"),
        ]))
    }

    // MARK: - Shared

    private func record(_ event: AuditEvent) async throws(Problem) {
        do { _ = try await audit.record(event) } catch { throw Problem(error) }
    }

    private static func canonicalText(_ entry: AuditEntry) throws(Problem) -> String {
        do { return try entry.canonicalText() } catch {
            throw Problem(.internalError, "A stored entry could not be rendered.", underlying: error)
        }
    }

    /// Store refusals of auditor input (a foreign cursor, a size beyond the log) are bad requests.
    private static func problem(_ error: StoreError) -> Problem {
        error.code == .invalidArgument ? Problem(.badRequest, error.message.prefix(1).uppercased() + error.message.dropFirst() + ".") : Problem(error)
    }
}
