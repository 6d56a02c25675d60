import JSONSchema

/// State while a document is checked and compiled: the faults found so far and the schema compiler.
struct LoadContext {
    let document: JSONValue
    let sourceMap: SourceMap
    private(set) var issues: [ContractError.Issue] = []
    /// The first error from below (the schema compiler) behind a reported fault.
    private(set) var cause: (any Error & Sendable)?
    var schemas: SchemaTable

    init(document: JSONValue, sourceMap: SourceMap, schemas: SchemaTable) {
        self.document = document
        self.sourceMap = sourceMap
        self.schemas = schemas
    }

    /// Records a fault at `pointer`, with its source position when known.
    mutating func report(_ code: ContractError.Code, _ pointer: String, _ message: String) {
        let position = sourceMap.position(of: pointer)
        issues.append(ContractError.Issue(code: code, location: pointer, line: position?.line,
                                          column: position?.column, message: message))
    }

    /// Reports every member of `object` not in `allowed` (extensions named `x-…` are allowed when
    /// `extensions` is true): a misspelt key would otherwise be silently ignored.
    mutating func checkKeys(_ object: JSONObject, at pointer: String, allowed: Set<String>,
                            extensions: Bool = true, code: ContractError.Code = .structure) {
        for key in object.keys where !allowed.contains(key) && !(extensions && key.hasPrefix("x-")) {
            report(code, JSONPointer.appending(pointer, key), "unknown member '\(key)'")
        }
    }

    /// The object at `pointer`, reporting a fault when it is missing (and required) or not an object.
    mutating func object(_ value: JSONValue?, at pointer: String, required: Bool,
                         code: ContractError.Code = .structure) -> JSONObject? {
        guard let value else {
            if required { report(code, pointer, "required member is missing") }
            return nil
        }
        guard case .object(let object) = value else {
            report(code, pointer, "must be an object, not \(value.typeName)")
            return nil
        }
        return object
    }

    /// The string at `pointer`, reporting a fault when it is missing (and required) or not a string.
    mutating func string(_ value: JSONValue?, at pointer: String, required: Bool,
                         code: ContractError.Code = .structure) -> String? {
        guard let value else {
            if required { report(code, pointer, "required member is missing") }
            return nil
        }
        guard case .string(let string) = value else {
            report(code, pointer, "must be a string, not \(value.typeName)")
            return nil
        }
        return string
    }

    /// The boolean at `pointer`, or `defaultValue` when absent.
    mutating func bool(_ value: JSONValue?, at pointer: String, default defaultValue: Bool,
                       code: ContractError.Code = .structure) -> Bool {
        guard let value else { return defaultValue }
        guard case .bool(let bool) = value else {
            report(code, pointer, "must be true or false, not \(value.typeName)")
            return defaultValue
        }
        return bool
    }

    /// Follows local `$ref`s from the OpenAPI object `value` at `pointer` to the object it stands
    /// for; returns it with its own pointer.
    mutating func dereference(_ value: JSONValue, at pointer: String) -> (JSONObject, String)? {
        var current = value
        var currentPointer = pointer
        var seen: Set<String> = []
        while case .object(let object) = current, let reference = object["$ref"] {
            let referencePointer = JSONPointer.appending(currentPointer, "$ref")
            guard case .string(let text) = reference else {
                report(.structure, referencePointer, "must be a string")
                return nil
            }
            guard let target = JSONPointer.fromFragmentReference(text) else {
                report(.unsupported, referencePointer, "only references inside the contract ('#/…') are supported")
                return nil
            }
            guard seen.insert(target).inserted else {
                report(.structure, referencePointer, "references form a cycle")
                return nil
            }
            guard let resolved = JSONPointer.resolve(target, in: document) else {
                report(.structure, referencePointer, "reference '\(text)' points to nothing")
                return nil
            }
            current = resolved
            currentPointer = target
        }
        guard case .object(let object) = current else {
            report(.structure, currentPointer, "must be an object, not \(current.typeName)")
            return nil
        }
        return (object, currentPointer)
    }

    /// The compiled schema at `pointer`, reporting a fault when it does not compile.
    mutating func validator(forSchemaAt pointer: String) -> Validator? {
        switch schemas.validator(at: pointer) {
        case .success(let validator):
            return validator
        case .failure(let error):
            // Point at the fault itself when it lies in this document; a schema that only
            // references the faulty one is not reported again.
            let inDocument = error.documentURI == nil || error.documentURI == schemas.baseURI
            let at = inDocument && !error.location.isEmpty ? error.location : pointer
            if !issues.contains(where: { $0.code == .schema && $0.location == at }) {
                report(.schema, at, "schema does not compile: \(error.message)")
            }
            cause = cause ?? error
            return nil
        }
    }
}
