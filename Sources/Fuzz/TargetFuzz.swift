import Contracts

/// A request target as a consumer sends it below `/exchange/{provider}/{service}`: read strictly,
/// then routed through a contract whose paths mix literal segments, bare parameters and several
/// parameters in one segment. A target that reaches an operation is forwarded in one canonical
/// form; that form must read again, route to the same operation with the same parameters, and
/// be its own canonical form (forwarding is idempotent).
enum TargetFuzz {
    private static let document = """
        openapi: 3.1.0
        info: {title: Routing fuzz contract, version: 1.0.0}
        x-exchange: {provider: fuzz, service: routing, version: 1, consumers: [mol]}
        paths:
          /people/{id}:
            parameters: [{name: id, in: path, required: true, schema: {type: string}}]
            get: {operationId: person, responses: {'200': {description: ok}}}
          /people/{id}/records/{year}-{month}:
            parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: year, in: path, required: true, schema: {type: string}}, {name: month, in: path, required: true, schema: {type: string}}]
            get: {operationId: records, responses: {'200': {description: ok}}}
          /people/me:
            get: {operationId: me, responses: {'200': {description: ok}}}
          /files/{name}.{ext}:
            parameters: [{name: name, in: path, required: true, schema: {type: string}}, {name: ext, in: path, required: true, schema: {type: string}}]
            get: {operationId: file, responses: {'200': {description: ok}}}
            put: {operationId: putFile, responses: {'200': {description: ok}}}
          /a/{x}/b/{y}/c/{z}:
            parameters: [{name: x, in: path, required: true, schema: {type: string}}, {name: y, in: path, required: true, schema: {type: string}}, {name: z, in: path, required: true, schema: {type: string}}]
            post: {operationId: deep, responses: {'200': {description: ok}}}
          /v{major}.{minor}/status:
            parameters: [{name: major, in: path, required: true, schema: {type: string}}, {name: minor, in: path, required: true, schema: {type: string}}]
            get: {operationId: status, responses: {'200': {description: ok}}}
          /:
            get: {operationId: root, responses: {'200': {description: ok}}}
        """
    nonisolated(unsafe) private static var contract: Contract!

    static func prepare() {
        contract = try! Contract(parsing: document)
    }

    /// The input's first line is the method, the rest the target (all of it is the target of a
    /// `GET` when there is no line break).
    static func run(_ input: [UInt8]) {
        let newline = input.firstIndex(of: UInt8(ascii: "\n"))
        let method = newline.map { String(decoding: input[..<$0], as: UTF8.self) } ?? "GET"
        let text = String(decoding: input[(newline.map { $0 + 1 } ?? input.startIndex)...], as: UTF8.self)
        guard let target = try? RequestTarget(text) else { return }
        guard case .operation(let match) = contract.route(method: method, target: target) else { return }
        let forwarded = match.forwardTarget(query: target.queryItems)
        let again: RequestTarget
        do {
            again = try RequestTarget(forwarded)
        } catch {
            FuzzTarget.invariant(false, "the forwarded target \(forwarded) does not read: \(error.message)")
            return
        }
        FuzzTarget.invariant(again.queryItems == target.queryItems, "the forwarded query reads differently")
        guard case .operation(let rerouted) = contract.route(method: method, target: again) else {
            FuzzTarget.invariant(false, "the forwarded target \(forwarded) routes nowhere")
            return
        }
        FuzzTarget.invariant(
            rerouted.operation.operationId == match.operation.operationId && rerouted.pathParameters == match.pathParameters,
            "the forwarded target \(forwarded) routes elsewhere")
        FuzzTarget.invariant(
            rerouted.forwardTarget(query: again.queryItems) == forwarded, "forwarding \(forwarded) again changes it")
    }
}
