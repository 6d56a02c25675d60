import JSONSchema

/// A published exchange contract: an OpenAPI 3.1 document with its `x-exchange` settings,
/// checked and with every schema compiled when it is loaded. Immutable.
public struct Contract: Sendable {
    /// The `x-exchange` settings.
    public let exchange: Exchange
    /// `info.title`.
    public let title: String
    /// `info.version`: the document's own version string, not the contract's major version.
    public let documentVersion: String
    /// The whole document as loaded.
    public let document: JSONValue
    /// Every operation, in document order.
    public let operations: [Operation]
    /// Paths with their operations, for matching.
    let routes: RouteTable

    init(exchange: Exchange, title: String, documentVersion: String, document: JSONValue,
         operations: [Operation], routes: RouteTable) {
        self.exchange = exchange
        self.title = title
        self.documentVersion = documentVersion
        self.document = document
        self.operations = operations
        self.routes = routes
    }

    /// The operation whose `operationId` is `id`.
    public func operation(id: String) -> Operation? {
        operations.first { $0.operationId == id }
    }

    /// The operation at `method` and path template `template` (e.g. `GET`, `/violations/{nationalId}`).
    public func operation(method: String, template: String) -> Operation? {
        let method = method.uppercased()
        return operations.first { $0.method == method && $0.pathTemplate == template }
    }
}
