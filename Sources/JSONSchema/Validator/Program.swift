/// One compiled schema: its keywords in evaluation order and where it came from.
final class Node: Sendable {
    let keywords: [Keyword]
    /// Index of the schema resource enclosing this schema (for the dynamic scope).
    let resource: Int
    /// Absolute URI of this schema ("uri#/pointer"), for `absoluteKeywordLocation`.
    let location: String
    /// Whether `unevaluated*` keywords here need sibling annotations collected.
    let needsAnnotations: Bool

    /// The size and type assertions, checked inline by the fast (non-reporting) pass.
    let checks: InlineChecks
    /// The keywords the non-reporting pass still dispatches (`keywords` minus those in `checks`).
    let remaining: [Keyword]

    // The most common keywords as plain fields, for the pass that needs neither locations nor
    // annotations (`Evaluator.check`): no dispatch, no enum payload copies.
    let pattern: Pattern?
    let format: Format?
    let enumeration: [JSONValue]?
    let required: [String]
    let properties: PropertiesPlan?
    /// `items` without `prefixItems`, or -1.
    let items: Int
    /// `$ref`, or -1.
    let ref: Int
    /// What `check` still dispatches: `remaining` minus the fields above.
    let unhoisted: [Keyword]

    init(keywords: [Keyword], resource: Int, location: String, needsAnnotations: Bool) {
        self.keywords = keywords
        self.resource = resource
        self.location = location
        self.needsAnnotations = needsAnnotations
        var checks = InlineChecks()
        var remaining: [Keyword] = []
        for keyword in keywords where !checks.absorb(keyword) { remaining.append(keyword) }
        self.checks = checks
        self.remaining = remaining
        var pattern: Pattern?, format: Format?, enumeration: [JSONValue]?, required: [String] = [], properties: PropertiesPlan?
        var items = -1, ref = -1
        var unhoisted: [Keyword] = []
        for keyword in remaining {
            switch keyword {
            case .pattern(let p) where pattern == nil: pattern = p
            case .format(let f) where format == nil: format = f
            case .enumeration(let values) where enumeration == nil: enumeration = values
            case .required(let names) where required.isEmpty: required = names
            case .properties(let plan) where properties == nil: properties = plan
            case .items(let prefix, let rest?) where prefix.isEmpty && items < 0: items = rest
            case .ref(let target) where ref < 0: ref = target
            default: unhoisted.append(keyword)
            }
        }
        self.pattern = pattern
        self.format = format
        self.enumeration = enumeration
        self.required = required
        self.properties = properties
        self.items = items
        self.ref = ref
        self.unhoisted = unhoisted
    }
}

/// Type and size assertions kept as plain fields, so the fast pass checks them without
/// dispatching (or retaining) a keyword each. The reporting pass uses the keywords instead.
struct InlineChecks: Sendable {
    var type: TypeMask?
    var minLength = 0
    var maxLength = Int.max
    var minItems = 0
    var maxItems = Int.max
    var minProperties = 0
    var maxProperties = Int.max

    /// Takes over `keyword` if it is one of the inline assertions.
    mutating func absorb(_ keyword: Keyword) -> Bool {
        switch keyword {
        case .type(let mask) where type == nil: type = mask
        case .minLength(let n): minLength = max(minLength, n)
        case .maxLength(let n): maxLength = min(maxLength, n)
        case .minItems(let n): minItems = max(minItems, n)
        case .maxItems(let n): maxItems = min(maxItems, n)
        case .minProperties(let n): minProperties = max(minProperties, n)
        case .maxProperties(let n): maxProperties = min(maxProperties, n)
        default: return false
        }
        return true
    }

    @inline(__always)
    func admit(_ instance: JSONValue) -> Bool {
        if let type, !type.admits(instance) { return false }
        switch instance {
        case .string(let s):
            guard minLength > 0 || maxLength < Int.max else { return true }
            let bytes = s.utf8.count
            // A code point takes 1 to 4 UTF-8 bytes: most strings are decided by their byte count alone.
            if bytes < minLength { return false }
            if bytes <= maxLength, bytes >= 4 * minLength { return true }
            let scalars = s.unicodeScalars.count
            return scalars >= minLength && scalars <= maxLength
        case .array(let a): return a.count >= minItems && a.count <= maxItems
        case .object(let o): return o.count >= minProperties && o.count <= maxProperties
        default: return true
        }
    }
}

/// The immutable result of compilation, shared by every copy of a `Validator`.
final class Program: Sendable {
    let nodes: [Node]
    /// `nodes` without reference counting: the evaluator borrows them while `nodes` keeps them alive.
    let unretainedNodes: [Unmanaged<Node>]
    /// Resource index → `$dynamicAnchor` name → node.
    let dynamicAnchors: [[String: Int]]
    let root: Int
    /// Whether any node uses `$dynamicRef` with a dynamic anchor.
    let usesDynamicScope: Bool
    /// `validate` stops collecting errors at this many.
    let maximumErrors: Int

    init(nodes: [Node], dynamicAnchors: [[String: Int]], root: Int, maximumErrors: Int) {
        self.maximumErrors = max(1, maximumErrors)
        self.nodes = nodes
        unretainedNodes = nodes.map { Unmanaged.passUnretained($0) }
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
