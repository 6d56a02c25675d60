import Foundation

/// The JSON types a `type` keyword admits; `integer` is a subset of `number`.
struct TypeMask: OptionSet, Sendable {
    let rawValue: UInt8
    static let null = TypeMask(rawValue: 1)
    static let boolean = TypeMask(rawValue: 2)
    static let integer = TypeMask(rawValue: 4)
    static let number = TypeMask(rawValue: 8)
    static let string = TypeMask(rawValue: 16)
    static let array = TypeMask(rawValue: 32)
    static let object = TypeMask(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "integer": self = .integer
        case "number": self = .number
        case "string": self = .string
        case "array": self = .array
        case "object": self = .object
        default: return nil
        }
    }

    /// "string or null" style names, in the standard order.
    var names: String {
        let all: [(TypeMask, String)] = [(.null, "null"), (.boolean, "boolean"), (.integer, "integer"), (.number, "number"),
                                         (.string, "string"), (.array, "array"), (.object, "object")]
        return all.filter { contains($0.0) }.map(\.1).joined(separator: " or ")
    }

    @inline(__always)
    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .number(let n): return contains(.number) || (contains(.integer) && n.isInteger)
        case .string: return contains(.string)
        case .array: return contains(.array)
        case .object: return contains(.object)
        }
    }
}

/// A compiled regular expression (ECMA-262 flavour translated to ICU), built once per schema.
struct Pattern: Sendable {
    let source: String
    let regex: NSRegularExpression
    /// Set when the pattern is simple enough to match without ICU (most contract patterns are).
    let simple: SimplePattern?

    init(source: String) throws {
        self.source = source
        regex = try ECMARegex.compile(source)
        simple = SimplePattern(source)
    }

    @inline(__always)
    func matches(_ text: String) -> Bool {
        if let simple { return simple.matches(text) }
        return regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}

/// `properties`, `patternProperties` and `additionalProperties` fused, so an object's members are
/// visited once; `additional` applies to members matched by neither of the others.
/// A class so that evaluating the keyword costs one retain, not one per field.
final class PropertiesPlan: Sendable {
    /// Few named properties are searched linearly (cheaper than hashing the key).
    let named: [(name: String, node: Int)]
    let namedIndex: [String: Int]?
    let patterns: [(pattern: Pattern, node: Int)]
    let additional: Int?

    init(named: [String: Int], patterns: [(pattern: Pattern, node: Int)], additional: Int?) {
        self.named = named.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
        self.namedIndex = named.count > 8 ? named : nil
        self.patterns = patterns
        self.additional = additional
    }

    @inline(__always)
    func node(named key: String) -> Int? {
        if let namedIndex { return namedIndex[key] }
        for entry in named where entry.name.utf8.count == key.utf8.count && entry.name == key { return entry.node }
        return nil
    }
}

/// One compiled keyword with its precomputed operands. Subschemas are node indices.
indirect enum Keyword: Sendable {
    case falseSchema
    case type(TypeMask)
    case enumeration([JSONValue])
    case const(JSONValue)
    case minimum(JSONNumber, exclusive: Bool)
    case maximum(JSONNumber, exclusive: Bool)
    case multipleOf(JSONNumber)
    case minLength(Int)
    case maxLength(Int)
    case pattern(Pattern)
    case format(Format)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required([String])
    case dependentRequired([(property: String, required: [String])])
    case properties(PropertiesPlan)
    case propertyNames(Int)
    case dependentSchemas([(property: String, node: Int)])
    case items(prefix: [Int], rest: Int?)
    case contains(Int, min: Int, max: Int?)
    case ref(Int)
    case dynamicRef(Int, anchor: String?)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
    case unevaluatedProperties(Int)
    case unevaluatedItems(Int)
}

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
