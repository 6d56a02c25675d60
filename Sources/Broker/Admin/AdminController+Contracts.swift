import Audit
import Contracts
import Foundation
import Hummingbird
import Store

/// Contracts over their life: publish (immutable per version), list, show, compare two versions,
/// deprecate with a sunset date after which calls to the version are refused.
extension AdminController {
    func registerContracts(on admin: RouterGroup<BrokerRequestContext>) {
        admin.post("/contracts") { request, context in try await publishContract(context.principal(), body(of: request)) }
        admin.get("/contracts") { _, _ in try await listContracts() }
        admin.get("/contracts/:provider/:service/versions/:version") { _, context in try await showContract(ContractID(context)) }
        admin.post("/contracts/:provider/:service/versions/:version/deprecate") { request, context in
            try await deprecateContract(context.principal(), ContractID(context), body(of: request))
        }
        admin.get("/contracts/:provider/:service/diff") { request, context in try await diffContracts(ContractID(context), request) }
    }

    private func publishContract(_ actor: Principal, _ body: [UInt8]) async throws(Problem) -> Response {
        let contract: Contract
        do {
            contract = try Contract(parsing: body)
        } catch {
            throw Problem(
                .invalidContract, "The contract was refused: \(error.issues.count) fault(s) found.",
                violations: error.issues.map {
                    Problem.Violation(pointer: $0.location, keyword: $0.code.description, message: $0.description)
                }
            )
        }
        let exchange = contract.exchange
        try await requireAgency(exchange.provider)
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Problem(.invalidContract, "The contract is not UTF-8 text.")
        }
        let isJSON = body.first { !$0.isWhitespace } == UInt8(ascii: "{")
        let contractRecord = ContractRecord(
            provider: exchange.provider, service: exchange.service, version: exchange.version,
            document: text, format: isJSON ? .json : .yaml, consumers: exchange.consumers
        )
        let publication: ContractPublication
        do {
            publication = try await store.publishContract(contractRecord, recording: AdminRecord(
                .contractPublished, actor: "\(actor)", target: exchange.id, detail: "digest: \(contractRecord.digest)"
            ))
        } catch {
            throw Problem(error)
        }
        var view = ContractView(publication.contract, operations: contract.operations.map(\.name))
        guard case .published = publication else {
            view.created = false
            return .json(view)
        }
        catalog.add(contract, record: publication.contract)
        view.created = true
        return .json(view, status: .created)
    }

    private func listContracts() async throws(Problem) -> Response {
        do {
            return .json(try await store.contracts().map(view(of:)))
        } catch {
            throw Problem(error)
        }
    }

    private func showContract(_ id: ContractID) async throws(Problem) -> Response {
        let record = try await publishedContract(id, version: try id.requireVersion())
        return .json(ContractDetailView(contract: view(of: record), format: record.format.rawValue, document: record.document))
    }

    private func deprecateContract(_ actor: Principal, _ id: ContractID, _ body: [UInt8]) async throws(Problem) -> Response {
        let deprecation = try decode(ContractDeprecation.self, body)
        let version = try id.requireVersion()
        _ = try await publishedContract(id, version: version)
        let now = Date()
        guard deprecation.sunset > now else {
            throw Problem(.badRequest, "The sunset date \(Timestamp.format(deprecation.sunset)) has passed; give a date in the future.")
        }
        let record: ContractRecord
        do {
            record = try await store.deprecateContract(
                provider: id.provider, service: id.service, version: version, sunset: deprecation.sunset, at: now,
                recording: AdminRecord(
                    .contractDeprecated, actor: "\(actor)", target: "\(id.provider)/\(id.service)/v\(version)",
                    detail: "sunset: \(Timestamp.format(deprecation.sunset))"
                )
            )
        } catch {
            throw Problem(error)
        }
        catalog.update(record)
        return .json(view(of: record))
    }

    /// What changed between `from` and `to` (query parameters, major versions) of one service.
    private func diffContracts(_ id: ContractID, _ request: Request) async throws(Problem) -> Response {
        let parameters = try AuditQueryParameters(request, allowed: ["from", "to"])
        guard let from = try parameters.integer("from", in: 1...Int(Int32.max)),
              let to = try parameters.integer("to", in: 1...Int(Int32.max))
        else {
            throw Problem(.badRequest, "Name both versions: ?from=1&to=2.")
        }
        let old = try await compiled(try await publishedContract(id, version: from))
        let new = try await compiled(try await publishedContract(id, version: to))
        return .json(ContractDiff(from: old, to: new))
    }

    private func publishedContract(_ id: ContractID, version: Int) async throws(Problem) -> ContractRecord {
        let record: ContractRecord?
        do { record = try await store.contract(provider: id.provider, service: id.service, version: version) } catch { throw Problem(error) }
        guard let record else {
            throw Problem(.notFound, "No contract \(id.provider)/\(id.service)/v\(version) is published; list them with `rabt contract list`.")
        }
        return record
    }

    private func compiled(_ record: ContractRecord) async throws(Problem) -> Contract {
        if let published = catalog.contract(provider: record.provider, service: record.service, version: record.version) {
            return published.contract
        }
        do {
            return try Contract(parsing: Array(record.document.utf8))
        } catch {
            throw Problem(.invalidContract, "The stored contract \(record.id) no longer compiles.")
        }
    }

    private func view(of record: ContractRecord) -> ContractView {
        let contract = catalog.contract(provider: record.provider, service: record.service, version: record.version)?.contract
        return ContractView(record, operations: contract?.operations.map(\.name) ?? [])
    }
}

/// The provider service (and version) a contract route names; versions read `3` or `v3`.
struct ContractID: Sendable {
    let provider: String
    let service: String
    let version: String?

    init(_ context: BrokerRequestContext) {
        provider = context.parameters.get("provider") ?? ""
        service = context.parameters.get("service") ?? ""
        version = context.parameters.get("version")
    }

    func requireVersion() throws(Problem) -> Int {
        let text = version.map { $0.hasPrefix("v") ? String($0.dropFirst()) : $0 } ?? ""
        guard let number = Int(text), number > 0 else {
            throw Problem(.badRequest, "'\(version?.prefix(20) ?? "")' is not a contract major version; use a number such as 1 or v1.")
        }
        return number
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
