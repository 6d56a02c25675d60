/// A place in a registered document: which document and the JSON pointer tokens below its root.
/// Tokens are member names and compare by code points, so `/$defs/Kind` and `/$defs/\u{212A}ind`
/// are two places.
struct SchemaLocation: Hashable, Sendable {
    var document: Int
    var pointer: [String]

    func appending(_ tokens: String...) -> SchemaLocation {
        SchemaLocation(document: document, pointer: pointer + tokens)
    }

    static func == (lhs: SchemaLocation, rhs: SchemaLocation) -> Bool {
        lhs.document == rhs.document && lhs.pointer.elementsEqual(rhs.pointer, by: CodePointKey.equal)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(document)
        hasher.combine(pointer.count)
        for token in pointer { CodePointKey.hash(token, into: &hasher) }
    }
}

/// Every registered document with the schema resources (`$id`) and anchors found inside it.
struct ResourceRegistry: Sendable {
    /// Documents by index, with the URI they were registered under.
    private(set) var documents: [(uri: String, root: JSONValue)] = []
    /// Absolute URI (no fragment) of each schema resource → its root.
    private(set) var resources: [String: SchemaLocation] = [:]
    /// "uri#name" for `$anchor` and `$dynamicAnchor` → the schema carrying it.
    private(set) var anchors: [String: SchemaLocation] = [:]
    /// Resource URI → `$dynamicAnchor` name → the schema carrying it.
    private(set) var dynamicAnchors: [String: [String: SchemaLocation]] = [:]

    /// Keywords whose value is one subschema.
    static let singleSchemaKeywords: Set<String> = [
        "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains", "propertyNames",
        "not", "if", "then", "else", "contentSchema", "items", "additionalItems",
    ]
    /// Keywords whose value maps names to subschemas.
    static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]
    /// Keywords whose value is an array of subschemas.
    static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
    /// Keywords whose values are data, never schemas: `$id` inside them means nothing.
    static let dataKeywords: Set<String> = [
        "enum", "const", "examples", "default", "required", "type", "dependentRequired", "$vocabulary",
        "example", "discriminator", "xml", "externalDocs",
    ]

    /// Registers `document` under `uri` and indexes its embedded resources and anchors.
    mutating func add(_ document: JSONValue, uri: String) throws(SchemaError) {
        let base = URIReference.splitFragment(uri).base
        let index = documents.count
        documents.append((base, document))
        let root = SchemaLocation(document: index, pointer: [])
        try register(resource: base, at: root, weak: false)
        var pointer: [String] = []
        try walk(document, document: index, pointer: &pointer, base: base, weak: false)
    }

    /// Resources found below unknown keywords (weak: they are not schema positions per the
    /// specification, but OpenAPI documents keep their schemas there) yield to real ones.
    private var weakResources: Set<String> = []

    private mutating func register(resource uri: String, at location: SchemaLocation, weak: Bool) throws(SchemaError) {
        if weak, resources[uri] != nil { return }
        if !weak, weakResources.remove(uri) != nil { resources[uri] = nil }
        if weak { weakResources.insert(uri) }
        if let existing = resources[uri], existing != location, value(at: existing) != value(at: location) {
            throw SchemaError(code: .duplicateResource, message: "two schemas claim the URI \(uri)",
                              location: JSONPointer.text(location.pointer), documentURI: documents[location.document].uri)
        }
        resources[uri] = location
    }

    private mutating func walk(_ value: JSONValue, document: Int, pointer: inout [String], base: String, weak: Bool) throws(SchemaError) {
        switch value {
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                pointer.append(String(i))
                try walk(element, document: document, pointer: &pointer, base: base, weak: weak)
                pointer.removeLast()
            }
        case .object(let object):
            var base = base
            let location = SchemaLocation(document: document, pointer: pointer)
            if case .string(let id)? = object["$id"], !id.hasPrefix("#") {
                base = URIReference.splitFragment(URIReference.resolve(id, against: base)).base
                try register(resource: base, at: location, weak: weak)
            }
            if case .string(let anchor)? = object["$anchor"] {
                anchors[base + "#" + anchor] = location
            }
            if case .string(let anchor)? = object["$dynamicAnchor"] {
                anchors[base + "#" + anchor] = location
                dynamicAnchors[base, default: [:]][anchor] = location
            }
            for (key, member) in object {
                if Self.dataKeywords.contains(key) { continue }
                pointer.append(key)
                if Self.schemaMapKeywords.contains(key), case .object(let map) = member {
                    for (name, subschema) in map {
                        pointer.append(name)
                        try walk(subschema, document: document, pointer: &pointer, base: base, weak: weak)
                        pointer.removeLast()
                    }
                } else {
                    // Single subschemas, arrays of them and unknown keywords (OpenAPI's `components`,
                    // `paths`...) are walked alike so that `$id`s inside contract documents resolve.
                    let known = Self.singleSchemaKeywords.contains(key) || Self.schemaArrayKeywords.contains(key)
                    try walk(member, document: document, pointer: &pointer, base: base, weak: weak || !known)
                }
                pointer.removeLast()
            }
        default:
            break
        }
    }

    /// The value at `location`, if it exists.
    func value(at location: SchemaLocation) -> JSONValue? {
        JSONPointer.resolve(location.pointer, in: documents[location.document].root)
    }

    /// The base URI that the schema at `location` inherits from its ancestors (its own `$id`
    /// is not applied: compiling the schema applies it).
    func baseURI(of location: SchemaLocation) -> String {
        var base = documents[location.document].uri
        var current = documents[location.document].root
        for token in location.pointer {
            if case .string(let id)? = current["$id"], !id.hasPrefix("#") {
                base = URIReference.splitFragment(URIReference.resolve(id, against: base)).base
            }
            guard let next = JSONPointer.resolve(CollectionOfOne(token), in: current) else { break }
            current = next
        }
        return base
    }

    /// Finds what an absolute URI (with optional fragment) designates.
    func locate(_ uri: String) -> SchemaLocation? {
        let (base, fragment) = URIReference.splitFragment(uri)
        guard let resource = resources[base] else { return nil }
        if let tokens = JSONPointer.tokens(fragment) {
            let location = SchemaLocation(document: resource.document, pointer: resource.pointer + tokens)
            return value(at: location) == nil ? nil : location
        }
        return anchors[base + "#" + fragment]
    }

    /// Whether a document or resource is registered under `uri` (fragment ignored).
    func contains(_ uri: String) -> Bool {
        resources[URIReference.splitFragment(uri).base] != nil
    }
}
