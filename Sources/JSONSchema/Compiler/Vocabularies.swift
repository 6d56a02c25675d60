/// The draft 2020-12 vocabularies a schema resource uses (from its metaschema's `$vocabulary`).
struct Vocabularies: OptionSet, Sendable {
    let rawValue: UInt16
    static let core = Vocabularies(rawValue: 1)
    static let applicator = Vocabularies(rawValue: 2)
    static let unevaluated = Vocabularies(rawValue: 4)
    static let validation = Vocabularies(rawValue: 8)
    static let formatAnnotation = Vocabularies(rawValue: 16)
    static let formatAssertion = Vocabularies(rawValue: 32)
    static let content = Vocabularies(rawValue: 64)
    static let metaData = Vocabularies(rawValue: 128)

    /// What a schema without a custom metaschema gets.
    static let standard: Vocabularies = [.core, .applicator, .unevaluated, .validation, .formatAnnotation, .content, .metaData]

    private static let byURI: [String: Vocabularies] = [
        "https://json-schema.org/draft/2020-12/vocab/core": .core,
        "https://json-schema.org/draft/2020-12/vocab/applicator": .applicator,
        "https://json-schema.org/draft/2020-12/vocab/unevaluated": .unevaluated,
        "https://json-schema.org/draft/2020-12/vocab/validation": .validation,
        "https://json-schema.org/draft/2020-12/vocab/format-annotation": .formatAnnotation,
        "https://json-schema.org/draft/2020-12/vocab/format-assertion": .formatAssertion,
        "https://json-schema.org/draft/2020-12/vocab/content": .content,
        "https://json-schema.org/draft/2020-12/vocab/meta-data": .metaData,
    ]

    init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The vocabularies a metaschema declares; nil when it declares none (use the standard set).
    /// An unknown vocabulary marked required is an error, an unknown optional one is ignored.
    static func declared(by metaschema: JSONValue) -> Result<Vocabularies, SchemaError>? {
        guard case .object(let declared)? = metaschema["$vocabulary"] else { return nil }
        var result: Vocabularies = []
        for (uri, required) in declared {
            if let known = byURI[uri] {
                result.insert(known)
            } else if required == .bool(true) {
                return .failure(SchemaError(code: .unsupportedVocabulary, message: "required vocabulary \(uri) is not supported",
                                            location: "/$vocabulary/" + JSONPointer.escape(uri)))
            }
        }
        return .success(result)
    }
}
