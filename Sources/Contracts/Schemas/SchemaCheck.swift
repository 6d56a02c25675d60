import Foundation
import JSONSchema

/// A standalone JSON Schema file, compiled with the documents it refers to, for checking payload
/// files before they are sent to the exchange (`rabt schema validate`).
public struct SchemaCheck: Sendable {
    /// Documents under a URI prefix: every `*.json`, `*.yaml` and `*.yml` file below `directory`
    /// is registered as `uriPrefix` + its path relative to the directory.
    public struct Resource: Sendable, Hashable {
        /// Absolute URI prefix, e.g. `https://schemas.example.gov/`.
        public var uriPrefix: String
        /// Folder holding the documents.
        public var directory: String

        /// A resource mapping.
        public init(uriPrefix: String, directory: String) {
            self.uriPrefix = uriPrefix
            self.directory = directory
        }

        /// A mapping written `URI-PREFIX=DIR`; nil when there is no `=` or either side is empty.
        public init?(argument: String) {
            guard let equals = argument.firstIndex(of: "=") else { return nil }
            let prefix = String(argument[..<equals]), directory = String(argument[argument.index(after: equals)...])
            guard !prefix.isEmpty, !directory.isEmpty else { return nil }
            self.init(uriPrefix: prefix, directory: directory)
        }
    }

    /// What checking one instance found.
    public enum Outcome: Sendable {
        /// The instance satisfies the schema.
        case valid
        /// The instance violates the schema; the errors in the "basic" output form.
        case invalid([ValidationError])
        /// The file is not a JSON (or YAML) document.
        case malformed(ContractError)

        /// Whether the instance is valid.
        public var isValid: Bool {
            if case .valid = self { return true }
            return false
        }
    }

    /// Upper bound on documents read from resource folders.
    static let maximumResourceFiles = 10_000

    /// The compiled schema.
    public let validator: Validator
    /// The schema's patterns that only a backtracking engine can run (a lookahead, a
    /// backreference, …): they are matched within a step budget here, and a contract holding
    /// one is refused. Locations inside the schema file carry its line and column.
    public let backtrackingPatterns: [ContractError.Issue]

    /// Reads, checks against its metaschema and compiles the schema at `schemaFile`.
    ///
    /// The schema is registered under its `file://` URL, so relative references resolve next to it
    /// unless it declares an `$id`. Faults are `ContractError`s naming the file, with the JSON
    /// pointer (and line, for YAML) of each.
    public init(schemaFile: String, resources: [Resource] = [], formatAssertion: Bool = false) throws(ContractError) {
        var compiler = SchemaCompiler(options: ValidationOptions(formatAssertion: formatAssertion))
        let schemaURL = URL(fileURLWithPath: schemaFile).standardizedFileURL
        for resource in resources {
            try Self.register(resource, excluding: schemaURL.path, in: &compiler)
        }
        let (schema, sourceMap) = try Self.read(schemaFile)
        let uri = schemaURL.absoluteString
        try Self.checkAgainstMetaschema(schema, sourceMap: sourceMap, compiler: compiler, file: schemaFile)
        do {
            try compiler.addResource(schema, uri: uri)
            validator = try compiler.compile(uri: uri)
            backtrackingPatterns = validator.backtrackingPatterns.map { pattern in
                let inSchema = pattern.location.hasPrefix(uri + "#")
                let location = inSchema ? String(pattern.location.dropFirst(uri.count + 1)) : pattern.location
                let position = inSchema ? sourceMap.position(of: location) : nil
                return ContractError.Issue(
                    code: .schema, location: location, line: position?.line, column: position?.column,
                    message: "the pattern needs a backtracking engine because \(pattern.reason): it is matched within a step "
                        + "budget here, and a contract holding it is refused")
            }
        } catch {
            let inSchema = error.documentURI == nil || error.documentURI == uri
            let position = inSchema ? sourceMap.position(of: error.location) : nil
            var failure = ContractError(
                .schema, at: error.location, line: position?.line, column: position?.column,
                inSchema ? error.message : "in \(error.documentURI ?? "?"): \(error.message)", underlying: error)
            failure.source = schemaFile
            throw failure
        }
    }

    /// Checks the instance document in `instanceFile` (JSON, or YAML for `.yaml`/`.yml` files).
    /// Throws only when the file cannot be read.
    public func check(instanceFile: String) throws(ContractError) -> Outcome {
        let bytes = try DocumentReader.contents(ofFile: instanceFile)
        let instance: JSONValue
        do {
            instance = try Self.parseInstance(bytes, yaml: instanceFile.hasSuffix(".yaml") || instanceFile.hasSuffix(".yml"))
        } catch {
            var failure = error
            failure.source = instanceFile
            return .malformed(failure)
        }
        if validator.isValid(instance) { return .valid }
        return .invalid(validator.validate(instance).errors)
    }

    // MARK: - Reading

    /// Payloads are JSON on the wire, so a `.json` file is parsed strictly; YAML is a convenience.
    private static func parseInstance(_ bytes: Data, yaml: Bool) throws(ContractError) -> JSONValue {
        if yaml { return try DocumentReader.value(parsing: bytes) }
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw ContractError(.syntax, at: "", line: error.line, column: error.column, "JSON: \(error.message)", underlying: error)
        }
    }

    private static func read(_ path: String) throws(ContractError) -> (JSONValue, SourceMap) {
        do {
            return try DocumentReader.read(DocumentReader.text(of: DocumentReader.contents(ofFile: path)))
        } catch {
            var failure = error
            failure.source = path
            throw failure
        }
    }

    /// Registers the documents of `resource`, except the schema itself (which may live among them).
    private static func register(_ resource: Resource, excluding schemaPath: String,
                                 in compiler: inout SchemaCompiler) throws(ContractError) {
        let files: [String]
        do {
            files = try FileManager.default.subpathsOfDirectory(atPath: resource.directory)
                .filter { [".json", ".yaml", ".yml"].contains(where: $0.hasSuffix) }
                .sorted()
        } catch {
            var failure = ContractError(.unreadable, at: "", "cannot list the resource folder", underlying: SendableDescription(error))
            failure.source = resource.directory
            throw failure
        }
        guard files.count <= maximumResourceFiles else {
            var failure = ContractError(.unsupported, at: "", "more than \(maximumResourceFiles) documents in the resource folder")
            failure.source = resource.directory
            throw failure
        }
        for file in files {
            let path = (resource.directory as NSString).appendingPathComponent(file)
            guard URL(fileURLWithPath: path).standardizedFileURL.path != schemaPath else { continue }
            let (document, _) = try read(path)
            do {
                try compiler.addResource(document, uri: resource.uriPrefix + file)
            } catch {
                var failure = ContractError(.schema, at: error.location, error.message, underlying: error)
                failure.source = path
                throw failure
            }
        }
    }

    /// Validates the schema against the metaschema its `$schema` names (draft 2020-12 when absent),
    /// when that metaschema is known; an unknown one is left to the compiler to refuse.
    private static func checkAgainstMetaschema(_ schema: JSONValue, sourceMap: SourceMap,
                                               compiler: SchemaCompiler, file: String) throws(ContractError) {
        let metaschemaURI = schema["$schema"]?.stringValue ?? "https://json-schema.org/draft/2020-12/schema"
        guard let metaschema = try? compiler.compile(uri: metaschemaURI) else { return }
        let result = metaschema.validate(schema)
        guard !result.isValid else { return }
        var failure = ContractError(issues: result.errors.map { error in
            let position = sourceMap.position(of: error.instanceLocation)
            return ContractError.Issue(code: .schema, location: error.instanceLocation, line: position?.line,
                                       column: position?.column, message: "\(error.keyword): \(error.message)")
        })
        failure.source = file
        throw failure
    }
}
