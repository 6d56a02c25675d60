/// Which parts of the current instance were evaluated by successful subschemas, for
/// `unevaluatedProperties` and `unevaluatedItems`. Only collected where such a keyword needs it.
struct Evaluated {
    var allProperties = false
    var properties: Set<CodePointKey> = []
    var allItems = false
    var prefix = 0
    var indices: Set<Int> = []

    mutating func merge(_ other: Evaluated) {
        allProperties = allProperties || other.allProperties
        properties.formUnion(other.properties)
        allItems = allItems || other.allItems
        prefix = max(prefix, other.prefix)
        indices.formUnion(other.indices)
    }
}

/// The mutable state of a reporting evaluation.
final class Report {
    let maximumErrors: Int
    var errors: [ValidationError] = []
    var instancePath: [PathToken] = []
    var keywordPath: [String] = []

    init(maximumErrors: Int) {
        self.maximumErrors = maximumErrors
    }

    var isFull: Bool { errors.count >= maximumErrors }
}

extension JSONValue {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}

/// One step of an instance or keyword location.
enum PathToken {
    case key(String)
    case index(Int)

    var text: String {
        switch self {
        case .key(let key): return key
        case .index(let index): return String(index)
        }
    }
}

/// Walks a compiled program over one instance.
///
/// In the fast mode (`reporting == false`) it keeps no locations and stops at the first failure;
/// in the reporting mode it records a `ValidationError` for every failed assertion.
struct Evaluator {
    /// Deepest nesting of schema evaluations before giving up (guards the stack against
    /// `$dynamicRef` loops the compile-time cycle check cannot see).
    static let maximumDepth = 512

    /// Borrowed from the `Program`, which outlives every evaluation (no reference counting).
    let nodes: UnsafeBufferPointer<Unmanaged<Node>>
    let dynamicAnchors: UnsafeBufferPointer<[String: Int]>
    /// Without `$dynamicRef` the dynamic scope is never consulted, so it is not kept.
    let usesDynamicScope: Bool
    var reporting: Bool
    /// Locations and errors, only allocated for a reporting evaluation.
    let report: Report?
    private var scope: [Int] = []
    private var depth = 0

    private init(program: Program, nodes: UnsafeBufferPointer<Unmanaged<Node>>, dynamicAnchors: UnsafeBufferPointer<[String: Int]>,
                 reporting: Bool) {
        self.nodes = nodes
        self.dynamicAnchors = dynamicAnchors
        usesDynamicScope = program.usesDynamicScope
        self.reporting = reporting
        report = reporting ? Report(maximumErrors: program.maximumErrors) : nil
    }

    /// Runs `body` with an evaluator over `program`.
    static func with<R>(_ program: Program, reporting: Bool, _ body: (inout Evaluator) -> R) -> R {
        program.unretainedNodes.withUnsafeBufferPointer { nodes in
            program.dynamicAnchors.withUnsafeBufferPointer { anchors in
                var evaluator = Evaluator(program: program, nodes: nodes, dynamicAnchors: anchors, reporting: reporting)
                return body(&evaluator)
            }
        }
    }

    /// Whether to stop at the current failure: always in the fast pass, and in the reporting
    /// pass once the error limit is reached.
    @inline(__always)
    var stopping: Bool { !reporting || report!.isFull }

    /// Evaluates node `index` against `instance`; annotations go into `evaluated` when it is non-nil.
    mutating func evaluate(_ index: Int, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        // The program keeps every node alive for the whole evaluation.
        nodes[index]._withUnsafeGuaranteedRef { node in
            if node.keywords.isEmpty { return true }
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maximumDepth { return fail(node, "$ref", "schema evaluation nested too deeply") }
            let entered = usesDynamicScope && scope.last != node.resource
            if entered { scope.append(node.resource) }
            defer { if entered { scope.removeLast() } }
            if evaluated == nil {
                if !node.needsAnnotations {
                    if !reporting { return check(node, instance) }
                } else {
                    var local: Evaluated? = Evaluated()
                    return run(node, instance, &local)
                }
            }
            return run(node, instance, &evaluated)
        }
    }

    /// The fast pass for a node that needs no annotations: validity only, the common keywords
    /// read from plain fields of the node, the rest dispatched.
    private mutating func check(_ node: Node, _ instance: JSONValue) -> Bool {
        guard node.checks.admit(instance) else { return false }
        switch instance {
        case .string(let s):
            if let pattern = node.pattern, !pattern.matches(s) { return false }
            if let format = node.format, !format.accepts(s) { return false }
        case .object(let o):
            var next = 0
            for name in node.required {
                guard let position = o.position(of: name, from: next) else { return false }
                next = position + 1
            }
            if let plan = node.properties, !checkProperties(plan, o) { return false }
        case .array(let a):
            if node.items >= 0 {
                var none: Evaluated? = nil
                for i in 0..<a.count where !evaluate(node.items, a[i], &none) { return false }
            }
        default:
            break
        }
        if let values = node.enumeration, !Self.contains(values, instance) { return false }
        var none: Evaluated? = nil
        if node.ref >= 0, !evaluate(node.ref, instance, &none) { return false }
        let count = node.unhoisted.count
        if count == 0 { return true }
        return node.unhoisted.withUnsafeBufferPointer { keywords in
            for i in 0..<count where !apply(keywords[i], node, instance, &none) { return false }
            return true
        }
    }

    /// `properties`/`patternProperties`/`additionalProperties` in the fast pass.
    private mutating func checkProperties(_ plan: PropertiesPlan, _ o: JSONObject) -> Bool {
        var none: Evaluated? = nil
        var hint = 0
        let keys = o.keyList, values = o.valueList
        for i in 0..<keys.count {
            let key = keys[i]
            var matched = false
            if let index = plan.node(named: key, hint: &hint) {
                matched = true
                if !evaluate(index, values[i], &none) { return false }
            }
            for (pattern, index) in plan.patterns {
                switch pattern.verdict(key) {
                case .doesNotMatch: continue
                case .matches:
                    matched = true
                    if !evaluate(index, values[i], &none) { return false }
                case .undecided: return false
                }
            }
            if !matched, let index = plan.additional, !evaluate(index, values[i], &none) { return false }
        }
        return true
    }

    private mutating func run(_ node: Node, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        var valid = true
        if !reporting {
            guard node.checks.admit(instance) else { return false }
            let count = node.remaining.count
            return node.remaining.withUnsafeBufferPointer { keywords in
                for i in 0..<count where !apply(keywords[i], node, instance, &evaluated) { return false }
                return true
            }
        }
        let count = node.keywords.count
        // Borrowing through the buffer avoids copying each keyword (and retaining its payload).
        return node.keywords.withUnsafeBufferPointer { keywords in
            for i in 0..<count where !apply(keywords[i], node, instance, &evaluated) {
                valid = false
                if stopping { return false }
            }
            return valid
        }
    }

    /// Evaluates a subschema at a child of the instance (no annotations flow back).
    @inline(__always)
    mutating func child(_ index: Int, _ value: JSONValue, _ token: PathToken, _ keyword: String, _ subkey: PathToken?) -> Bool {
        if reporting {
            // A valid subtree reports nothing: the fast pass settles it without building locations,
            // so a large payload with one bad field is walked with locations along one path only.
            // Not for arrays: their items get this check one by one, and checking the whole array
            // first would double the work for an invalid one.
            var none: Evaluated? = nil
            if !value.isArray, quietly(index, value, &none) { return true }
            report!.instancePath.append(token)
            report!.keywordPath.append(keyword)
            if let subkey { report!.keywordPath.append(subkey.text) }
        }
        var none: Evaluated? = nil
        let valid = evaluate(index, value, &none)
        if reporting {
            report!.instancePath.removeLast()
            report!.keywordPath.removeLast(subkey == nil ? 1 : 2)
        }
        return valid
    }

    /// Evaluates a subschema at the same instance location, passing annotations through.
    @inline(__always)
    mutating func inPlace(_ index: Int, _ instance: JSONValue, _ evaluated: inout Evaluated?, _ keyword: String, _ subkey: PathToken?) -> Bool {
        if reporting {
            // As in `child`; a valid subschema's annotations are the same in either pass.
            var own: Evaluated? = evaluated == nil ? nil : Evaluated()
            if !instance.isArray, quietly(index, instance, &own) {
                if let own { evaluated!.merge(own) }
                return true
            }
            report!.keywordPath.append(keyword)
            if let subkey { report!.keywordPath.append(subkey.text) }
        }
        let valid: Bool
        if evaluated != nil {
            // The subschema's own `unevaluated*` must see only annotations from its own subtree.
            var own: Evaluated? = Evaluated()
            valid = evaluate(index, instance, &own)
            if valid, let own { evaluated!.merge(own) }
        } else {
            valid = evaluate(index, instance, &evaluated)
        }
        if reporting { report!.keywordPath.removeLast(subkey == nil ? 1 : 2) }
        return valid
    }

    /// Evaluates without recording errors (for `anyOf`, `oneOf`, `not`, `if`, `contains`).
    mutating func quietly(_ index: Int, _ instance: JSONValue, _ evaluated: inout Evaluated?) -> Bool {
        let saved = reporting
        reporting = false
        defer { reporting = saved }
        return evaluate(index, instance, &evaluated)
    }

    /// Target of a `$dynamicRef`: the outermost resource in the dynamic scope with the anchor.
    func dynamicTarget(_ fallback: Int, anchor: String?) -> Int {
        guard let anchor else { return fallback }
        for resource in scope {
            if let target = dynamicAnchors[resource][anchor] { return target }
        }
        return fallback
    }

    /// Records a failed assertion (in reporting mode) and returns false.
    mutating func fail(_ node: Node, _ keyword: String, _ message: @autoclosure () -> String) -> Bool {
        if reporting, !report!.isFull {
            report!.errors.append(ValidationError(
                instanceLocation: instancePointer, keywordLocation: JSONPointer.text(report!.keywordPath) + "/" + JSONPointer.escape(keyword),
                absoluteKeywordLocation: node.location + "/" + JSONPointer.escape(keyword), keyword: keyword, message: message()))
        }
        return false
    }

    /// Records that a `false` subschema was reached, naming the keyword that led to it.
    mutating func failFalseSchema(_ node: Node) -> Bool {
        guard reporting, !report!.isFull else { return false }
        var keyword = "false"
        if let last = report!.keywordPath.last, Self.singleSubschemaKeywords.contains(last) {
            keyword = last
        } else if report!.keywordPath.count >= 2 {
            keyword = report!.keywordPath[report!.keywordPath.count - 2]
        }
        let message: String
        switch (keyword, report!.instancePath.last) {
        case ("additionalProperties", .key(let k)?), ("unevaluatedProperties", .key(let k)?), ("properties", .key(let k)?),
             ("patternProperties", .key(let k)?):
            message = "property \"\(Self.truncated(k))\" is not allowed"
        case (_, .index(let i)?) where keyword.hasSuffix("tems"):
            message = "item \(i) is not allowed"
        default:
            message = "value is not allowed here"
        }
        report!.errors.append(ValidationError(instanceLocation: instancePointer, keywordLocation: JSONPointer.text(report!.keywordPath),
                                      absoluteKeywordLocation: node.location, keyword: keyword, message: message))
        return false
    }

    var instancePointer: String {
        var s = ""
        for token in report!.instancePath {
            s += "/"
            switch token {
            case .key(let k): s += JSONPointer.escape(k)
            case .index(let i): s += String(i)
            }
        }
        return s
    }

    /// A short rendering of a value for messages (long values are cut).
    static func brief(_ value: JSONValue) -> String {
        truncated(value.serialized())
    }

    /// Why a string was refused when its pattern's step budget ran out.
    static func undecided(_ value: JSONValue, _ pattern: Pattern) -> String {
        "\(brief(value)) could not be matched against \(pattern.source) within the backtracking engine's step budget"
    }

    static func truncated(_ text: String, limit: Int = 48) -> String {
        // No more bytes than the limit means no more characters: skip counting graphemes.
        if text.utf8.count <= limit { return text }
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// Keywords whose value is one subschema (a `false` there is reported under the keyword).
    static let singleSubschemaKeywords: Set<String> = [
        "additionalProperties", "unevaluatedProperties", "items", "unevaluatedItems", "not", "then", "else", "contains",
        "propertyNames", "$ref", "$dynamicRef",
    ]
}
