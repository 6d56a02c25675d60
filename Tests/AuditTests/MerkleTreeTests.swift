import Audit
import Crypto
import Testing

@Suite struct MerkleHashTests {
    @Test func wellKnownHashes() {
        #expect(MerkleHash.emptyTree.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleHash.leaf([UInt8]()).hex == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test func nodeHashPrefixesOne() {
        let a = MerkleHash.leaf([1]), b = MerkleHash.leaf([2])
        #expect(MerkleHash.node(a, b).bytes == Array(SHA256.hash(data: [0x01] + a.bytes + b.bytes)))
        #expect(MerkleHash.node(a, b) != MerkleHash.node(b, a))
    }

    @Test func hexAndBase64RoundTrip() {
        let hash = MerkleHash.leaf([7, 7])
        #expect(MerkleHash(hex: hash.hex) == hash)
        #expect(MerkleHash(hex: hash.hex.uppercased()) == hash)
        #expect(MerkleHash(base64: hash.base64) == hash)
        #expect(MerkleHash(hex: String(hash.hex.dropLast())) == nil)
        #expect(MerkleHash(hex: String(repeating: "g", count: 64)) == nil)
        #expect(MerkleHash(bytes: [UInt8](repeating: 0, count: 31)) == nil)
    }
}

@Suite struct MerkleTreeTests {
    // The seven-leaf tree of RFC 9162 §2.1.5: leaves a…f and j (= d6), g=ab, h=cd, i=ef, k=gh, l=ij.
    let d = Reference.leaves(7)
    var a: MerkleHash { d[0] }
    var b: MerkleHash { d[1] }
    var c: MerkleHash { d[2] }
    var dd: MerkleHash { d[3] }
    var e: MerkleHash { d[4] }
    var f: MerkleHash { d[5] }
    var j: MerkleHash { d[6] }
    var g: MerkleHash { .node(a, b) }
    var h: MerkleHash { .node(c, dd) }
    var i: MerkleHash { .node(e, f) }
    var k: MerkleHash { .node(g, h) }
    var l: MerkleHash { .node(i, j) }

    @Test func rootsOfSmallTreesByHand() {
        #expect(MerkleTree.rootHash(leaves: [MerkleHash]()) == .emptyTree)
        #expect(MerkleTree.rootHash(leaves: [a]) == a)
        #expect(MerkleTree.rootHash(leaves: Array(d[0..<3])) == .node(g, c))
        #expect(MerkleTree.rootHash(leaves: Array(d[0..<4])) == k)
        #expect(MerkleTree.rootHash(leaves: Array(d[0..<6])) == .node(k, i))
        #expect(MerkleTree.rootHash(leaves: d) == .node(k, l))
    }

    @Test func inclusionPathsOfTheRFCExample() {
        #expect(MerkleTree.inclusionProof(leafIndex: 0, leaves: d)?.path == [b, h, l])
        #expect(MerkleTree.inclusionProof(leafIndex: 3, leaves: d)?.path == [c, g, l])
        #expect(MerkleTree.inclusionProof(leafIndex: 4, leaves: d)?.path == [f, j, k])
        #expect(MerkleTree.inclusionProof(leafIndex: 6, leaves: d)?.path == [i, k])
        #expect(MerkleTree.inclusionProof(leafIndex: 7, leaves: d) == nil)
        #expect(MerkleTree.inclusionProof(leafIndex: -1, leaves: d) == nil)
    }

    @Test func consistencyProofsOfTheRFCExample() {
        #expect(MerkleTree.consistencyProof(firstSize: 3, leaves: d)?.path == [c, dd, g, l])
        #expect(MerkleTree.consistencyProof(firstSize: 4, leaves: d)?.path == [l])
        #expect(MerkleTree.consistencyProof(firstSize: 6, leaves: d)?.path == [i, j, k])
        #expect(MerkleTree.consistencyProof(firstSize: 8, leaves: d) == nil)
    }

    @Test func frontierMatchesRecursiveRootForSizes0To64() {
        let leaves = Reference.leaves(64)
        var frontier = MerkleFrontier()
        #expect(frontier.rootHash == .emptyTree)
        for n in 1...64 {
            frontier.append(leaves[n - 1])
            #expect(frontier.size == n)
            #expect(frontier.nodes.count == n.nonzeroBitCount)
            #expect(frontier.rootHash == Reference.mth(leaves[0..<n]), "size \(n)")
        }
    }

    @Test func frontierRestoresFromSavedNodes() {
        let leaves = Reference.leaves(21)
        var frontier = MerkleFrontier()
        for leaf in leaves[0..<13] { frontier.append(leaf) }
        var restored = MerkleFrontier(size: frontier.size, nodes: frontier.nodes)!
        for leaf in leaves[13...] { restored.append(leaf) }
        #expect(restored.rootHash == Reference.mth(leaves[...]))
        #expect(MerkleFrontier(size: 13, nodes: Array(frontier.nodes.dropLast())) == nil)
    }

    @Test func inclusionProofsForEveryLeafOfSizes1To64() {
        let leaves = Reference.leaves(64)
        for n in 1...64 {
            let tree = Array(leaves[0..<n])
            let root = Reference.mth(tree[...])
            for m in 0..<n {
                let proof = MerkleTree.inclusionProof(leafIndex: m, leaves: tree)!
                #expect(proof.path == Reference.path(m, tree[...]), "m \(m) n \(n)")
                #expect(proof.verify(leafHash: tree[m], root: root), "m \(m) n \(n)")
                // Another leaf, another index or another size must not verify.
                #expect(!proof.verify(leafHash: tree[(m + 1) % n], root: root) || n == 1)
                var moved = proof
                moved.leafIndex = (m + 1) % n
                #expect(!moved.verify(leafHash: tree[m], root: root) || n == 1)
                var outside = proof
                outside.treeSize = m
                #expect(!outside.verify(leafHash: tree[m], root: root))
            }
        }
    }

    @Test func tamperedInclusionPathsFail() {
        let tree = Reference.leaves(11)
        let root = Reference.mth(tree[...])
        let proof = MerkleTree.inclusionProof(leafIndex: 5, leaves: tree)!
        for position in proof.path.indices {
            var tampered = proof
            tampered.path[position] = .leaf([0xFF])
            #expect(!tampered.verify(leafHash: tree[5], root: root))
        }
        var short = proof
        short.path.removeLast()
        #expect(!short.verify(leafHash: tree[5], root: root))
        var long = proof
        long.path.append(tree[0])
        #expect(!long.verify(leafHash: tree[5], root: root))
    }

    @Test func consistencyProofsForAllPairsUpTo64() {
        let leaves = Reference.leaves(64)
        let roots = (0...64).map { Reference.mth(leaves[0..<$0]) }
        for n in 1...64 {
            let tree = Array(leaves[0..<n])
            for m in 0...n {
                let proof = MerkleTree.consistencyProof(firstSize: m, leaves: tree)!
                let expected = (m == 0 || m == n) ? [] : Reference.subproof(m, tree[...], true)
                #expect(proof.path == expected, "m \(m) n \(n)")
                #expect(proof.verify(firstRoot: roots[m], secondRoot: roots[n]), "m \(m) n \(n)")
                if m > 0 && m < n {
                    // A forked history (a different older root) or a different newer root must fail.
                    #expect(!proof.verify(firstRoot: roots[m - 1], secondRoot: roots[n]))
                    #expect(!proof.verify(firstRoot: roots[m], secondRoot: roots[n - 1]))
                    var tampered = proof
                    tampered.path[tampered.path.count - 1] = .leaf([0xEE])
                    #expect(!tampered.verify(firstRoot: roots[m], secondRoot: roots[n]))
                    var empty = proof
                    empty.path = []
                    #expect(!empty.verify(firstRoot: roots[m], secondRoot: roots[n]))
                }
            }
        }
    }

    @Test func equalAndEmptySizesNeedMatchingRoots() {
        let tree = Reference.leaves(5)
        let root = Reference.mth(tree[...])
        let same = ConsistencyProof(firstSize: 5, secondSize: 5, path: [])
        #expect(same.verify(firstRoot: root, secondRoot: root))
        #expect(!same.verify(firstRoot: root, secondRoot: .emptyTree))
        let fromEmpty = ConsistencyProof(firstSize: 0, secondSize: 5, path: [])
        #expect(fromEmpty.verify(firstRoot: .emptyTree, secondRoot: root))
        #expect(!ConsistencyProof(firstSize: 6, secondSize: 5, path: []).verify(firstRoot: root, secondRoot: root))
    }
}
