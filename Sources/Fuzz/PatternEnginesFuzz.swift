import JSONSchema

/// A pattern and a subject as for ``PatternFuzz``, run on every engine that takes the pattern
/// (the linear matchers, RE2 through the ECMA-262 translation, ICU): engines that decide must
/// agree, so a translation that widens or narrows what a contract's pattern admits is found.
enum PatternEnginesFuzz {
    static func run(_ input: [UInt8]) {
        let split = input.firstIndex(of: 0) ?? input.endIndex
        let pattern = String(decoding: input[..<split], as: UTF8.self)
        let subject = split < input.endIndex ? String(decoding: input[(split + 1)...], as: UTF8.self) : ""
        let verdicts = PatternEngines.verdicts(pattern, on: subject)
        FuzzTarget.invariant(
            Set(verdicts.values).count <= 1,
            "the engines disagree on \(pattern.debugDescription) against \(subject.debugDescription): \(verdicts.sorted { $0.key < $1.key })")
    }
}
