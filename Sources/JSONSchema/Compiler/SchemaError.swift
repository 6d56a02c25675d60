/// Why a schema could not be compiled, and where in the schema document the fault is.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    /// The kind of fault, with a stable wire string.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String {
            case invalidKeyword = "schema-invalid-keyword"
            case invalidSchema = "schema-invalid"
            case invalidRegex = "schema-invalid-regex"
            case backtrackingRegex = "schema-backtracking-regex"
            case unresolvedReference = "schema-unresolved-reference"
            case referenceCycle = "schema-reference-cycle"
            case duplicateResource = "schema-duplicate-resource"
            case unsupportedVocabulary = "schema-unsupported-vocabulary"
        }

        private let kind: Kind

        /// A keyword's value has the wrong type or range (e.g. `"minLength": -1`).
        public static let invalidKeyword = Code(kind: .invalidKeyword)
        /// Something that must be a schema is neither an object nor a boolean.
        public static let invalidSchema = Code(kind: .invalidSchema)
        /// A `pattern` or `patternProperties` name is not a valid regular expression.
        public static let invalidRegex = Code(kind: .invalidRegex)
        /// A pattern needs a backtracking engine (backreference, lookaround, …) and the options
        /// accept only patterns that match in linear time.
        public static let backtrackingRegex = Code(kind: .backtrackingRegex)
        /// A `$ref`, `$dynamicRef` or `$schema` names nothing known to the compiler.
        public static let unresolvedReference = Code(kind: .unresolvedReference)
        /// References loop without consuming any of the instance, so evaluation would never end.
        public static let referenceCycle = Code(kind: .referenceCycle)
        /// Two different schemas claim the same `$id` or anchor.
        public static let duplicateResource = Code(kind: .duplicateResource)
        /// The metaschema requires a vocabulary this implementation does not know.
        public static let unsupportedVocabulary = Code(kind: .unsupportedVocabulary)

        /// The stable wire string, e.g. `schema-invalid-regex`.
        public var description: String { kind.rawValue }
    }

    /// The kind of fault.
    public var code: Code
    /// A readable explanation.
    public var message: String
    /// JSON pointer of the fault inside its document ("" for the root).
    public var location: String
    /// URI of the document holding the fault, when known.
    public var documentURI: String?
    /// The underlying cause (e.g. the regex engine's error or a JSON parse error).
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(code: Code, message: String, location: String, documentURI: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.documentURI = documentURI
        self.underlying = underlying
    }

    /// "code at uri#pointer: message".
    public var description: String {
        "\(code) at \(documentURI ?? "")#\(location): \(message)"
    }
}
