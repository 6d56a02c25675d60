/// Compiles schemas found in a registry into a `Program`: one node per schema location, references
/// as node indices (so recursive schemas compile to cycles, each location exactly once).
struct ProgramBuilder {
    let registry: ResourceRegistry
    let options: ValidationOptions
    var nodes: [Node?] = []
    private var nodeIndex: [SchemaLocation: Int] = [:]
    private var resourceIndex: [String: Int] = [:]
    private var resourceURIs: [String] = []
    private var dynamicAnchorNodes: [[String: Int]] = []
    private var pendingResources: [Int] = []
    private var vocabularyCache: [String: Vocabularies] = [:]
    /// Compiled regexes by source (as code points: "^K" and "^\u{212A}" are different patterns).
    var patternCache: [CodePointKey: Pattern] = [:]

    init(registry: ResourceRegistry, options: ValidationOptions) {
        self.registry = registry
        self.options = options
    }

    /// Compiles the schema at `uri` and everything it reaches.
    mutating func build(uri: String) throws(SchemaError) -> Program {
        guard let location = registry.locate(uri) else {
            throw SchemaError(code: .unresolvedReference, message: "no schema at \(uri)", location: "", documentURI: uri)
        }
        let root = try compile(at: location)
        while let resource = pendingResources.popLast() {
            for (name, anchorLocation) in registry.dynamicAnchors[resourceURIs[resource]] ?? [:] {
                dynamicAnchorNodes[resource][name] = try compile(at: anchorLocation)
            }
        }
        let finished = nodes.map { $0! }
        try ReferenceCycleCheck.check(finished, locations: nodeIndex, registry: registry)
        return Program(nodes: finished, dynamicAnchors: dynamicAnchorNodes, root: root, maximumErrors: options.maximumErrors)
    }

    /// Compiles the schema at a location reached by reference (its base and vocabularies are looked up).
    mutating func compile(at location: SchemaLocation) throws(SchemaError) -> Int {
        if let existing = nodeIndex[location] { return existing }
        guard let value = registry.value(at: location) else {
            throw error(.unresolvedReference, "reference target does not exist", at: location)
        }
        let base = registry.baseURI(of: location)
        return try compile(value, at: location, base: base, vocabularies: try vocabularies(ofResource: base))
    }

    /// Compiles one schema (object or boolean) found at `location` under `base`.
    mutating func compile(_ value: JSONValue, at location: SchemaLocation, base parentBase: String,
                          vocabularies parentVocabularies: Vocabularies) throws(SchemaError) -> Int {
        if let existing = nodeIndex[location] { return existing }
        let index = nodes.count
        nodes.append(nil)
        nodeIndex[location] = index
        switch value {
        case .bool(let accepts):
            let resource = resourceID(parentBase)
            nodes[index] = Node(keywords: accepts ? [] : [.falseSchema], resource: resource,
                                location: absoluteLocation(location, base: parentBase), needsAnnotations: false)
        case .object(let object):
            var base = parentBase
            var vocabularies = parentVocabularies
            if let id = object["$id"] {
                guard case .string(let text) = id else { throw error(.invalidKeyword, "$id must be a string", at: location.appending("$id")) }
                if !text.hasPrefix("#") { base = URIReference.splitFragment(URIReference.resolve(text, against: base)).base }
            }
            if let schema = object["$schema"] {
                guard case .string(let text) = schema else {
                    throw error(.invalidKeyword, "$schema must be a string", at: location.appending("$schema"))
                }
                vocabularies = try self.vocabularies(ofMetaschema: URIReference.resolve(text, against: base), at: location)
            }
            let resource = resourceID(base)
            var context = KeywordContext(object: object, location: location, base: base, vocabularies: vocabularies)
            let keywords = try compileKeywords(&context)
            let needsAnnotations = keywords.contains {
                switch $0 {
                case .unevaluatedItems, .unevaluatedProperties: return true
                default: return false
                }
            }
            nodes[index] = Node(keywords: keywords, resource: resource, location: absoluteLocation(location, base: base),
                                needsAnnotations: needsAnnotations)
        default:
            throw error(.invalidSchema, "a schema must be an object or a boolean, not \(value.typeName)", at: location)
        }
        return index
    }

    /// Resolves and compiles a `$ref`/`$dynamicRef` value; returns the node and the absolute URI.
    mutating func compileReference(_ reference: String, base: String, at location: SchemaLocation) throws(SchemaError) -> (node: Int, uri: String, target: SchemaLocation) {
        let absolute = URIReference.resolve(reference, against: base)
        guard let target = registry.locate(absolute) else {
            throw error(.unresolvedReference, "cannot resolve reference \(absolute)", at: location)
        }
        return (try compile(at: target), absolute, target)
    }

    /// Whether `target` carries `$dynamicAnchor: name` in the resource `uri`.
    func isDynamicAnchor(_ name: String, resource uri: String, at target: SchemaLocation) -> Bool {
        registry.dynamicAnchors[uri]?[name] == target
    }

    private mutating func resourceID(_ uri: String) -> Int {
        if let existing = resourceIndex[uri] { return existing }
        let id = resourceURIs.count
        resourceURIs.append(uri)
        resourceIndex[uri] = id
        dynamicAnchorNodes.append([:])
        pendingResources.append(id)
        return id
    }

    private mutating func vocabularies(ofResource uri: String) throws(SchemaError) -> Vocabularies {
        guard let root = registry.resources[uri], case .string(let metaschema)? = registry.value(at: root)?["$schema"] else {
            return .standard
        }
        return try vocabularies(ofMetaschema: URIReference.resolve(metaschema, against: uri), at: root)
    }

    private mutating func vocabularies(ofMetaschema uri: String, at location: SchemaLocation) throws(SchemaError) -> Vocabularies {
        if let cached = vocabularyCache[uri] { return cached }
        var result = Vocabularies.standard
        if let metaLocation = registry.locate(uri), let metaschema = registry.value(at: metaLocation),
            let declared = Vocabularies.declared(by: metaschema)
        {
            switch declared {
            case .success(let vocabularies): result = vocabularies
            case .failure(var failure):
                failure.location = JSONPointer.text(location.pointer) + "/$schema"
                failure.documentURI = registry.documents[location.document].uri
                throw failure
            }
        }
        vocabularyCache[uri] = result
        return result
    }

    /// "resource-uri#/pointer-inside-resource" when the resource root encloses `location`.
    private func absoluteLocation(_ location: SchemaLocation, base: String) -> String {
        if let root = registry.resources[base], root.document == location.document,
            location.pointer.starts(with: root.pointer, by: CodePointKey.equal)
        {
            return base + "#" + JSONPointer.text(Array(location.pointer.dropFirst(root.pointer.count)))
        }
        return registry.documents[location.document].uri + "#" + JSONPointer.text(location.pointer)
    }

    func error(_ code: SchemaError.Code, _ message: String, at location: SchemaLocation) -> SchemaError {
        SchemaError(code: code, message: message, location: JSONPointer.text(location.pointer),
                    documentURI: registry.documents[location.document].uri)
    }
}

/// What keyword compilation needs to know about the schema object at hand.
struct KeywordContext {
    let object: JSONObject
    let location: SchemaLocation
    let base: String
    let vocabularies: Vocabularies
}
