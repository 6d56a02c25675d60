import Audit
import Foundation
import GRDB

extension SQLiteStore {
    /// The Merkle frontier of the first `size` entries (the roots of the perfect subtrees covering
    /// them, largest first), read from the stored nodes: what an export starting at `size` carries
    /// so its verifier can recompute full-tree roots. `invalid-argument` when `size` exceeds the log.
    public func auditFrontier(size: Int) async throws(StoreError) -> MerkleFrontier {
        try await read("read audit frontier") { db in
            try Self.checkTreeSize(size, db)
            guard let frontier = MerkleFrontier(size: size, nodes: try Self.auditFrontier(size: size, db)) else {
                throw StoreError(code: .storeUnavailable, message: "stored audit nodes do not form a frontier")
            }
            return frontier
        }
    }

    /// The frontier nodes of the first `size` entries, read one query per node (popcount(size)
    /// reads, each a cached primary-key lookup).
    static func auditFrontier(size: Int, _ db: Database) throws -> [MerkleHash] {
        let plan = try AuditNodeReader.plan { reader in try reader.frontier(size: size) }
        var nodes: [AuditNodePosition: MerkleHash] = [:]
        for position in plan.positions {
            let data: Data?
            if position.level == 0 {
                data = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT leaf_hash FROM audit_entry WHERE sequence = ?"), arguments: [position.index]
                )
            } else {
                data = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT hash FROM audit_node WHERE level = ? AND idx = ?"),
                    arguments: [position.level, position.index]
                )
            }
            guard let data else {
                throw StoreError(code: .storeUnavailable, message: "audit tree node \(position.level)/\(position.index) is missing")
            }
            nodes[position] = try AuditNodeReader.hash(data)
        }
        return try plan.run(nodes)
    }

    /// Runs a planned computation with its nodes fetched in two queries (leaves, then inner nodes)
    /// instead of one query per node.
    static func auditNodes<Value>(_ plan: AuditNodeReader.Plan<Value>, _ db: Database) throws -> Value {
        var nodes: [AuditNodePosition: MerkleHash] = [:]
        let leaves = plan.positions.filter { $0.level == 0 }.map(\.index)
        if !leaves.isEmpty {
            let marks = Array(repeating: "?", count: leaves.count).joined(separator: ",")
            // Cached per placeholder count: a proof needs at most a few dozen distinct shapes.
            let statement = try db.cachedStatement(sql: "SELECT sequence, leaf_hash FROM audit_entry WHERE sequence IN (\(marks))")
            for row in try Row.fetchAll(statement, arguments: StatementArguments(leaves)) {
                nodes[AuditNodePosition(level: 0, index: row["sequence"])] = try AuditNodeReader.hash(row["leaf_hash"])
            }
        }
        let inner = plan.positions.filter { $0.level > 0 }
        if !inner.isEmpty {
            let arguments = StatementArguments(inner.flatMap { [$0.level, $0.index] })
            for row in try Row.fetchAll(db.cachedStatement(sql: auditNodesQuery(count: inner.count)), arguments: arguments) {
                nodes[AuditNodePosition(level: row["level"], index: row["idx"])] = try AuditNodeReader.hash(row["hash"])
            }
        }
        return try plan.run(nodes)
    }

    /// Fetches `count` nodes given as (level, idx) argument pairs.
    ///
    /// A join, not `(level, idx) IN (VALUES …)`, which SQLite answers with a full table scan.
    static func auditNodesQuery(count: Int) -> String {
        let marks = Array(repeating: "(?,?)", count: count).joined(separator: ",")
        return """
            SELECT n.level, n.idx, n.hash FROM (VALUES \(marks)) AS wanted
            JOIN audit_node AS n ON n.level = wanted.column1 AND n.idx = wanted.column2
            """
    }

    /// Appends leaves to the stored tree, inserting each node a leaf completes.
    struct AuditNodeWriter {
        private var tree: AuditNodeBuilder
        private let insert: AuditInsertStatement

        /// Loads the frontier of a stored tree of `size` leaves (popcount(size) reads).
        init(_ db: Database, size: Int) throws {
            insert = try AuditInsertStatement(db, sql: "INSERT INTO audit_node (level, idx, hash) VALUES (?, ?, ?)")
            tree = AuditNodeBuilder(size: size, frontier: try SQLiteStore.auditFrontier(size: size, db))
        }

        /// Number of leaves covered.
        var size: Int { tree.size }

        /// Adds the leaf at index `size` and stores every perfect subtree it completes.
        mutating func append(_ leafHash: MerkleHash) throws {
            let insert = self.insert
            try tree.append(leafHash) { node in
                try insert.execute { row in
                    row.bind(1, node.position.level)
                    row.bind(2, node.position.index)
                    row.bind(3, blob: node.hash.bytes)
                }
            }
        }
    }
}
