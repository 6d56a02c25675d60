import JSONSchema

/// Compiles the contract's schemas through one compiler that holds the whole document as a
/// resource, so `#/components/schemas/…` references resolve; each location compiles once.
struct SchemaTable {
    /// The base URI the document is registered under.
    let baseURI: String
    private var compiler: SchemaCompiler
    private var cache: [String: Result<Validator, SchemaError>] = [:]
    /// Why the document could not be registered, if it could not.
    private(set) var resourceError: SchemaError?

    init(document: JSONValue, baseURI: String, options: ValidationOptions) {
        self.baseURI = baseURI
        compiler = SchemaCompiler(options: options)
        do {
            try compiler.addResource(document, uri: baseURI)
        } catch {
            resourceError = error
        }
    }

    /// The validator for the schema at JSON pointer `pointer` in the document.
    mutating func validator(at pointer: String) -> Result<Validator, SchemaError> {
        if let cached = cache[pointer] { return cached }
        let uri = baseURI + "#" + JSONPointer.fragment(pointer)
        let result: Result<Validator, SchemaError>
        do {
            result = .success(try compiler.compile(uri: uri))
        } catch {
            result = .failure(error)
        }
        cache[pointer] = result
        return result
    }
}

extension SchemaTable {
    /// A table over an empty document, for passes that compile nothing.
    static var unused: SchemaTable {
        SchemaTable(document: .object(JSONObject()), baseURI: Contract.baseURI + "unused", options: ValidationOptions())
    }
}
