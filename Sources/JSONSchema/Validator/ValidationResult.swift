/// The outcome of validating one instance.
public struct ValidationResult: Sendable {
    /// Whether the instance is valid.
    public var isValid: Bool
    /// Why it is not (empty when valid), one "basic" output unit per failed assertion.
    public var errors: [ValidationError]

    /// Creates a result.
    public init(isValid: Bool, errors: [ValidationError]) {
        self.isValid = isValid
        self.errors = errors
    }
}

/// One failed assertion, shaped like a JSON Schema "basic" output unit.
public struct ValidationError: Sendable, Hashable, Codable {
    /// JSON pointer into the instance ("" for the root), e.g. "/applicant/nationalId".
    public var instanceLocation: String
    /// Path of keywords taken to the failing one (through `$ref`s), e.g. "/properties/a/pattern".
    public var keywordLocation: String
    /// The failing keyword's absolute URI ("resource-uri#/pointer/keyword").
    public var absoluteKeywordLocation: String?
    /// The failing keyword, e.g. "pattern".
    public var keyword: String
    /// A readable explanation; instance values in it are truncated.
    public var message: String

    /// Creates an error.
    public init(instanceLocation: String, keywordLocation: String, absoluteKeywordLocation: String?, keyword: String, message: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.keyword = keyword
        self.message = message
    }
}

/// A compiled schema. Immutable and safe to share between threads; compile once, validate often.
public struct Validator: Sendable {
    let program: Program

    /// Validates `instance`, collecting every failed assertion.
    public func validate(_ instance: JSONValue) -> ValidationResult {
        // The reporting pass checks each subtree with the fast pass before walking it with
        // locations, so only the paths to failures pay for them (and a valid instance is one pass).
        let (valid, errors) = Evaluator.with(program, reporting: true) { evaluator in
            var evaluated: Evaluated? = nil
            let valid = evaluator.evaluate(program.root, instance, &evaluated)
            return (valid, evaluator.report!.errors)
        }
        return ValidationResult(isValid: valid, errors: errors)
    }

    /// Whether `instance` is valid; stops at the first failure.
    public func isValid(_ instance: JSONValue) -> Bool {
        Evaluator.with(program, reporting: false) { evaluator in
            var evaluated: Evaluated? = nil
            return evaluator.evaluate(program.root, instance, &evaluated)
        }
    }
}
