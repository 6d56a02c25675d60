/// `properties`, `patternProperties` and `additionalProperties` fused, so an object's members are
/// visited once; `additional` applies to members matched by neither of the others.
/// A class so that evaluating the keyword costs one retain, not one per field.
final class PropertiesPlan: Sendable {
    /// Few named properties are searched linearly (cheaper than hashing the key).
    let named: [(name: String, node: Int)]
    let namedIndex: [String: Int]?
    let patterns: [(pattern: Pattern, node: Int)]
    let additional: Int?

    init(named: [String: Int], patterns: [(pattern: Pattern, node: Int)], additional: Int?) {
        self.named = named.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
        self.namedIndex = named.count > 8 ? named : nil
        self.patterns = patterns
        self.additional = additional
    }

    @inline(__always)
    func node(named key: String) -> Int? {
        if let namedIndex { return namedIndex[key] }
        for entry in named where entry.name.utf8.count == key.utf8.count && entry.name == key { return entry.node }
        return nil
    }
}
