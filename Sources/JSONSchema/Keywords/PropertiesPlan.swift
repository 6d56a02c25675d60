/// `properties`, `patternProperties` and `additionalProperties` fused, so an object's members are
/// visited once; `additional` applies to members matched by neither of the others.
/// A class so that evaluating the keyword costs one retain, not one per field.
final class PropertiesPlan: Sendable {
    /// The named properties in schema order.
    let named: [(name: String, node: Int)]
    /// Position in `named` by name, for plans with many properties.
    let namedIndex: [CodePointKey: Int]?
    let patterns: [(pattern: Pattern, node: Int)]
    let additional: Int?

    /// `named` are distinct names (the members of the schema's `properties` object) in schema order.
    init(named: [(name: String, node: Int)], patterns: [(pattern: Pattern, node: Int)], additional: Int?) {
        self.named = named
        var index: [CodePointKey: Int] = [:]
        for (position, entry) in named.enumerated() { index[CodePointKey(entry.name)] = position }
        self.namedIndex = named.count > 8 ? index : nil
        self.patterns = patterns
        self.additional = additional
    }

    /// The node for member `key` (names compare by code points). Instances mostly list members in
    /// schema order, so the entry after the previous match (`hint`) is tried first; a hit costs
    /// one comparison.
    @inline(__always)
    func node(named key: String, hint: inout Int) -> Int? {
        named.withUnsafeBufferPointer { named in
            if hint < named.count, CodePointKey.equal(named[hint].name, key) {
                hint += 1
                return named[hint - 1].node
            }
            if let namedIndex {
                guard let position = namedIndex[CodePointKey(key)] else { return nil }
                hint = position + 1
                return named[position].node
            }
            for position in 0..<named.count where CodePointKey.equal(named[position].name, key) {
                hint = position + 1
                return named[position].node
            }
            return nil
        }
    }
}
