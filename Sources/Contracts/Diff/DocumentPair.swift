import JSONSchema

/// The old and new documents of a diff, compared with their local `$ref`s followed, so that a change
/// to a shared component is a change to every operation using it, and moving a definition into
/// `components` (or back) is not.
struct DocumentPair {
    /// The old document.
    let old: JSONValue
    /// The new document.
    let new: JSONValue

    /// Longest chain of references followed on one side only; longer means a reference loop.
    private static let hopLimit = 32

    /// Whether `a` (a value of the old document) and `b` (of the new one) say the same.
    ///
    /// An object with a local `$ref` stands for its target together with its other members.
    /// Reference pairs already being compared are assumed equal, which ends recursive schemas.
    func equivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
        var assumed: Set<String> = []
        return equivalent(a, b, assumed: &assumed, hops: 0)
    }

    /// Whether the values at `oldPointer` in the old document and `newPointer` in the new one say the same.
    func equivalent(old oldPointer: String, new newPointer: String) -> Bool {
        switch (JSONPointer.resolve(oldPointer, in: old), JSONPointer.resolve(newPointer, in: new)) {
        case (let a?, let b?): return equivalent(a, b)
        case (nil, nil): return true
        default: return false
        }
    }

    private func equivalent(_ a: JSONValue, _ b: JSONValue, assumed: inout Set<String>, hops: Int) -> Bool {
        let targetA = Self.localReference(a).flatMap { pointer in JSONPointer.resolve(pointer, in: old).map { (pointer, $0) } }
        let targetB = Self.localReference(b).flatMap { pointer in JSONPointer.resolve(pointer, in: new).map { (pointer, $0) } }
        switch (targetA, targetB) {
        case (let (pointerA, valueA)?, let (pointerB, valueB)?):
            guard equivalent(Self.siblings(of: a), Self.siblings(of: b), assumed: &assumed, hops: hops) else { return false }
            guard assumed.insert(pointerA + "\u{0}" + pointerB).inserted else { return true }
            return equivalent(valueA, valueB, assumed: &assumed, hops: 0)
        case (let (_, valueA)?, nil):
            guard Self.siblings(of: a).objectValue?.isEmpty == true, hops < Self.hopLimit else { return false }
            return equivalent(valueA, b, assumed: &assumed, hops: hops + 1)
        case (nil, let (_, valueB)?):
            guard Self.siblings(of: b).objectValue?.isEmpty == true, hops < Self.hopLimit else { return false }
            return equivalent(a, valueB, assumed: &assumed, hops: hops + 1)
        case (nil, nil):
            break
        }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], equivalent(value, other, assumed: &assumed, hops: 0) else { return false }
            }
            return true
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !equivalent(p, q, assumed: &assumed, hops: 0) { return false }
            return true
        default:
            return a == b
        }
    }

    /// The pointer a `{"$ref": "#/…"}` object refers to; nil for anything else.
    static func localReference(_ value: JSONValue) -> String? {
        guard case .object(let object) = value, let text = object["$ref"]?.stringValue else { return nil }
        return JSONPointer.fromFragmentReference(text)
    }

    /// An object without its `$ref` member.
    private static func siblings(of value: JSONValue) -> JSONValue {
        guard case .object(var object) = value else { return value }
        object["$ref"] = nil
        return .object(object)
    }
}
