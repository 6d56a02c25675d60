/// `properties`, `patternProperties` and `additionalProperties` fused, so an object's members are
/// visited once; `additional` applies to members matched by neither of the others.
/// A class so that evaluating the keyword costs one retain, not one per field.
final class PropertiesPlan: Sendable {
    /// The named properties in schema order (node indices grow in schema order).
    let named: [(name: String, node: Int)]
    /// Position in `named` by name, for plans with many properties.
    let namedIndex: [String: Int]?
    let patterns: [(pattern: Pattern, node: Int)]
    let additional: Int?

    init(named: [String: Int], patterns: [(pattern: Pattern, node: Int)], additional: Int?) {
        self.named = named.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
        var index: [String: Int] = [:]
        for (position, entry) in self.named.enumerated() { index[entry.name] = position }
        self.namedIndex = named.count > 8 ? index : nil
        self.patterns = patterns
        self.additional = additional
    }

    /// The node for member `key`. Instances mostly list members in schema order, so the entry
    /// after the previous match (`hint`) is tried first; a hit costs one string comparison.
    @inline(__always)
    func node(named key: String, hint: inout Int) -> Int? {
        named.withUnsafeBufferPointer { named in
            let length = key.utf8.count
            if hint < named.count, named[hint].name.utf8.count == length, named[hint].name == key {
                hint += 1
                return named[hint - 1].node
            }
            if let namedIndex {
                guard let position = namedIndex[key] else { return nil }
                hint = position + 1
                return named[position].node
            }
            for position in 0..<named.count where named[position].name.utf8.count == length && named[position].name == key {
                hint = position + 1
                return named[position].node
            }
            return nil
        }
    }
}
