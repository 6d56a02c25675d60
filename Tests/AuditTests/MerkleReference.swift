import Audit

/// The RFC 9162 §2.1 recursive definitions, written out directly as the tests' reference.
enum Reference {
    static func k(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    static func mth(_ d: ArraySlice<MerkleHash>) -> MerkleHash {
        switch d.count {
        case 0: return .emptyTree
        case 1: return d.first!
        default:
            let split = d.startIndex + k(d.count)
            return .node(mth(d[..<split]), mth(d[split...]))
        }
    }

    static func path(_ m: Int, _ d: ArraySlice<MerkleHash>) -> [MerkleHash] {
        guard d.count > 1 else { return [] }
        let split = d.startIndex + k(d.count)
        if m < k(d.count) {
            return path(m, d[..<split]) + [mth(d[split...])]
        }
        return path(m - k(d.count), d[split...]) + [mth(d[..<split])]
    }

    static func subproof(_ m: Int, _ d: ArraySlice<MerkleHash>, _ b: Bool) -> [MerkleHash] {
        let n = d.count
        if m == n { return b ? [] : [mth(d)] }
        let split = d.startIndex + k(n)
        if m <= k(n) {
            return subproof(m, d[..<split], b) + [mth(d[split...])]
        }
        return subproof(m - k(n), d[split...], false) + [mth(d[..<split])]
    }

    static func leaves(_ count: Int) -> [MerkleHash] {
        (0..<count).map { MerkleHash.leaf(Array("leaf-\($0)".utf8)) }
    }
}
