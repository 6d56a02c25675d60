/// One compiled schema: its keywords in evaluation order and where it came from.
final class Node: Sendable {
    let keywords: [Keyword]
    /// Index of the schema resource enclosing this schema (for the dynamic scope).
    let resource: Int
    /// Absolute URI of this schema ("uri#/pointer"), for `absoluteKeywordLocation`.
    let location: String
    /// Whether `unevaluated*` keywords here need sibling annotations collected.
    let needsAnnotations: Bool

    init(keywords: [Keyword], resource: Int, location: String, needsAnnotations: Bool) {
        self.keywords = keywords
        self.resource = resource
        self.location = location
        self.needsAnnotations = needsAnnotations
    }
}

/// The immutable result of compilation, shared by every copy of a `Validator`.
final class Program: Sendable {
    let nodes: [Node]
    /// Resource index → `$dynamicAnchor` name → node.
    let dynamicAnchors: [[String: Int]]
    let root: Int
    /// Whether any node uses `$dynamicRef` with a dynamic anchor.
    let usesDynamicScope: Bool

    init(nodes: [Node], dynamicAnchors: [[String: Int]], root: Int) {
        self.nodes = nodes
        self.dynamicAnchors = dynamicAnchors
        self.root = root
        usesDynamicScope = nodes.contains { node in
            node.keywords.contains {
                if case .dynamicRef(_, let anchor?) = $0 { return !anchor.isEmpty }
                return false
            }
        }
    }
}
