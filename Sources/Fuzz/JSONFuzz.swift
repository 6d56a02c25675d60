import JSONSchema

/// Any bytes: either a parse error, or a value that serialises to text which parses back to the
/// same value and serialises to the same text (Rabt hashes and forwards serialised forms).
enum JSONFuzz {
    static func run(_ input: [UInt8]) {
        guard let value = try? JSONValue(parsing: input) else { return }
        let text = value.serializedBytes()
        let again: JSONValue
        do {
            again = try JSONValue(parsing: text)
        } catch {
            FuzzTarget.invariant(false, "serialised JSON does not parse: \(error)")
            return
        }
        FuzzTarget.invariant(again == value, "serialised JSON parses to another value")
        FuzzTarget.invariant(again.serializedBytes() == text, "serialising JSON twice gives two texts")
    }
}
