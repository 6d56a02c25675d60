import Foundation
import JSONSchema

/// One corpus case: a schema with a valid and an invalid instance, read from `bench/schema`.
struct BenchmarkCase {
    let name: String
    let validBytes: [UInt8]
    let invalidBytes: [UInt8]
    let valid: JSONValue
    let invalid: JSONValue
    let validator: Validator

    /// Reads `<name>.schema.json`, `<name>.valid.json` and `<name>.invalid.json` from `corpus` and
    /// compiles the schema, with format assertion on or off as the baselines are configured.
    init(name: String, corpus: URL, formatAssertion: Bool) throws {
        func read(_ kind: String) throws -> [UInt8] {
            Array(try Data(contentsOf: corpus.appendingPathComponent("\(name).\(kind).json")))
        }
        self.name = name
        validBytes = try read("valid")
        invalidBytes = try read("invalid")
        valid = try JSONValue(parsing: validBytes)
        invalid = try JSONValue(parsing: invalidBytes)
        let compiler = SchemaCompiler(options: ValidationOptions(formatAssertion: formatAssertion))
        validator = try compiler.compile(try JSONValue(parsing: try read("schema")))
    }

    /// Lists the case names in `cases.txt`, in order.
    static func names(in corpus: URL) throws -> [String] {
        let text = try String(contentsOf: corpus.appendingPathComponent("cases.txt"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }

    /// Times every measure of this case with Rabt's validator.
    func measure(with measure: Measure) -> [String: Double] {
        let validator = validator, valid = valid, invalid = invalid
        let validBytes = validBytes, invalidBytes = invalidBytes
        return [
            "valid.isValid": measure.opsPerSecond { precondition(validator.isValid(valid)) },
            "valid.parseIsValid": measure.opsPerSecond {
                precondition(validator.isValid(try! JSONValue(parsing: validBytes)))
            },
            "invalid.isValid": measure.opsPerSecond { precondition(!validator.isValid(invalid)) },
            "invalid.validate": measure.opsPerSecond { precondition(!validator.validate(invalid).errors.isEmpty) },
            "invalid.parseValidate": measure.opsPerSecond {
                precondition(!validator.validate(try! JSONValue(parsing: invalidBytes)).errors.isEmpty)
            },
        ]
    }
}
