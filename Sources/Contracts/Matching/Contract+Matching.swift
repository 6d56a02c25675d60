/// What a request's method and path lead to in a contract.
public enum Route: Sendable {
    /// An operation, with the path parameters read from the path.
    case operation(OperationMatch)
    /// The path exists but not with this method: answer 405 with `Allow: allowed`.
    case methodNotAllowed(allowed: [String])
    /// No path of the contract fits.
    case notFound
}

/// An operation found for a request, with its path parameters (percent-decoded).
public struct OperationMatch: Sendable {
    /// The operation.
    public let operation: Contract.Operation
    /// Path parameter values by name, percent-decoded.
    public let pathParameters: [String: String]
    /// The operation's path template filled with `pathParameters`, each re-encoded: the path
    /// Rabt forwards below the provider's base URL, never one the template does not name.
    public let forwardPath: String

    /// What Rabt forwards below the provider's base URL: ``forwardPath``, then `query`'s items
    /// re-encoded (``RequestTarget/canonicalQuery(_:)``) when there are any.
    public func forwardTarget(query: [RequestTarget.QueryItem]) -> String {
        let canonical = RequestTarget.canonicalQuery(query)
        return canonical.isEmpty ? forwardPath : forwardPath + "?" + canonical
    }
}

/// The contract's paths, for matching.
struct RouteTable: Sendable {
    struct Entry: Sendable {
        let template: PathTemplate
        /// Operation indices by upper-case method.
        let operations: [String: Int]
    }

    let entries: [Entry]

    /// Methods in the order `Allow` lists them.
    static let methodOrder = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
}

extension Contract {
    /// Finds the operation for `method` and `path` (the part after `/exchange/{provider}/{service}`;
    /// anything from `?` on is ignored). Literal segments win over templated ones; among the
    /// templates that fit, the most specific one declaring the method is taken.
    public func route(method: String, path: String) -> Route {
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard pathOnly.hasPrefix("/") else { return .notFound }
        let rawSegments = pathOnly.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return route(method: method, segments: rawSegments)
    }

    /// ``route(method:path:)`` for a path already read by ``RequestTarget``.
    public func route(method: String, target: RequestTarget) -> Route {
        route(method: method, segments: target.segments)
    }

    private func route(method: String, segments rawSegments: [Substring]) -> Route {
        let method = method.uppercased()
        var fitting: [(entry: RouteTable.Entry, values: [String: String], order: Int)] = []
        for (order, entry) in routes.entries.enumerated() {
            if let values = entry.template.match(rawSegments) { fitting.append((entry, values, order)) }
        }
        guard !fitting.isEmpty else { return .notFound }
        fitting.sort { lhs, rhs in
            let (l, r) = (lhs.entry.template.specificity, rhs.entry.template.specificity)
            return l == r ? lhs.order < rhs.order : l.lexicographicallyPrecedes(r)
        }
        for (entry, values, _) in fitting {
            if let index = entry.operations[method] {
                return .operation(OperationMatch(
                    operation: operations[index], pathParameters: values, forwardPath: entry.template.filled(with: values)
                ))
            }
        }
        let allowed = Set(fitting.flatMap { $0.entry.operations.keys })
        return .methodNotAllowed(allowed: RouteTable.methodOrder.filter(allowed.contains))
    }

    /// The operation for `method` and `path`, or nil when there is none (see `route` for why).
    public func match(method: String, path: String) -> OperationMatch? {
        if case .operation(let match) = route(method: method, path: path) { return match }
        return nil
    }
}
