/// Options that change what a compiled schema asserts.
public struct ValidationOptions: Sendable {
    /// Whether `format` is an assertion (date, date-time, time, email, uuid, ipv4, ipv6, hostname,
    /// uri, uri-reference, json-pointer, duration, regex) instead of an annotation only.
    public var formatAssertion: Bool = false
    /// The most errors `Validator.validate` reports; evaluation stops there, so a huge invalid
    /// payload cannot produce a huge error list.
    public var maximumErrors: Int = 100
    /// Whether a `pattern` or `patternProperties` name that only a backtracking engine can run
    /// (a backreference, a lookaround, …) is accepted, matched by ICU within a step budget. When
    /// false, compiling such a schema fails with `SchemaError.Code.backtrackingRegex`, so every
    /// pattern it holds matches in time linear in the text (as contracts require).
    public var allowsBacktrackingPatterns: Bool = true

    /// Creates options.
    public init(formatAssertion: Bool = false, maximumErrors: Int = 100, allowsBacktrackingPatterns: Bool = true) {
        self.formatAssertion = formatAssertion
        self.maximumErrors = maximumErrors
        self.allowsBacktrackingPatterns = allowsBacktrackingPatterns
    }
}

/// Holds schema documents by URI and compiles validators from them (draft 2020-12).
///
/// The draft 2020-12 metaschemas are always available. Nothing is fetched from the network:
/// every document a `$ref` reaches must be added with `addResource` first.
public struct SchemaCompiler: Sendable {
    /// The options every compiled validator uses.
    public var options: ValidationOptions
    private var registry: ResourceRegistry

    /// URI given to a standalone schema without `$id`.
    static let anonymousURI = "urn:rabt:schema:anonymous"

    /// A compiler that knows the bundled metaschemas.
    public init(options: ValidationOptions = .init()) {
        self.options = options
        self.registry = Metaschemas.registry
    }

    /// Registers a document (a schema, or any JSON holding schemas such as an OpenAPI document)
    /// under an absolute URI, e.g. `urn:rabt:contract:moj/criminal-record-certificate/1`.
    public mutating func addResource(_ document: JSONValue, uri: String) throws(SchemaError) {
        try registry.add(document, uri: uri)
    }

    /// Whether a document or embedded resource is registered under `uri` (fragment ignored).
    public func hasResource(uri: String) -> Bool {
        registry.contains(uri)
    }

    /// Compiles the schema a URI designates: a registered document, a `#/json/pointer` into it,
    /// or a `#anchor`. Throws if the schema, or anything it references, is invalid.
    public func compile(uri: String) throws(SchemaError) -> Validator {
        var builder = ProgramBuilder(registry: registry, options: options)
        return Validator(program: try builder.build(uri: uri))
    }

    /// Compiles a standalone schema document (its `$ref`s may reach registered documents).
    public func compile(_ schema: JSONValue) throws(SchemaError) -> Validator {
        var registry = self.registry
        try registry.add(schema, uri: Self.anonymousURI)
        var builder = ProgramBuilder(registry: registry, options: options)
        return Validator(program: try builder.build(uri: Self.anonymousURI))
    }
}
