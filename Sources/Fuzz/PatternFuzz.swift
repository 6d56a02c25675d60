import JSONSchema

/// A schema `pattern` and a subject, separated by the first NUL byte. The pattern is compiled as
/// contracts compile it (backtracking forms refused) or, when that refuses it, as other schemas do
/// (the step-bounded backtracking engine allowed); the compiled form then matches the subject. A pattern must
/// neither crash the translation nor run unbounded (libFuzzer's `-timeout` catches that).
enum PatternFuzz {
    static func run(_ input: [UInt8]) {
        let split = input.firstIndex(of: 0) ?? input.endIndex
        let pattern = String(decoding: input[..<split], as: UTF8.self)
        let subject = split < input.endIndex ? String(decoding: input[(split + 1)...], as: UTF8.self) : ""
        let schema = JSONValue.object(JSONObject([("type", .string("string")), ("pattern", .string(pattern))]))
        // A pattern contracts accept compiles the same either way: the second compiler is only
        // needed for the patterns the first refuses.
        for allowsBacktracking in [false, true] {
            let compiler = SchemaCompiler(options: ValidationOptions(allowsBacktrackingPatterns: allowsBacktracking))
            guard let validator = try? compiler.compile(schema) else { continue }
            _ = validator.validate(.string(subject))
            return
        }
    }
}
