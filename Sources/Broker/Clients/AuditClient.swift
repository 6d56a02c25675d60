import Audit
import Delivery
import Foundation

/// What an auditor searches for; every filter is optional (the audit API's query parameters).
public struct AuditSearch: Sendable, Hashable {
    public var consumer: String?
    public var provider: String?
    public var service: String?
    public var version: Int?
    public var operation: String?
    public var status: Int?
    public var problemType: String?
    public var exchangeId: String?
    public var kind: String?
    /// RFC 3339 time or date: entries recorded at or after it.
    public var since: String?
    /// RFC 3339 time or date: entries recorded before it.
    public var until: String?
    public var limit: Int?
    public var cursor: String?
    /// Oldest first instead of newest first.
    public var oldestFirst = false

    public init() {}

    /// The query string, `?consumer=mol&…`, parameters percent-encoded.
    var queryString: String {
        let pairs: [(String, String?)] = [
            ("consumer", consumer), ("provider", provider), ("service", service), ("version", version.map(String.init)),
            ("operation", operation), ("status", status.map(String.init)), ("problemType", problemType),
            ("exchangeId", exchangeId), ("kind", kind), ("since", since), ("until", until),
            ("limit", limit.map(String.init)), ("cursor", cursor), ("order", oldestFirst ? "oldest" : nil),
        ]
        return BrokerCaller.query(pairs)
    }
}

/// One page of search results.
public struct AuditSearchPage: Decodable, Sendable {
    public var entries: [AuditEntry]
    public var nextCursor: String?
}

/// An entry with its inclusion proof and the signed head the proof leads to.
public struct ProvenEntryView: Decodable, Sendable {
    public struct Proof: Decodable, Sendable {
        public var leafIndex: Int
        public var treeSize: Int
        public var path: [String]
    }

    public var entry: AuditEntry
    public var leafHash: String
    public var inclusionProof: Proof
    /// The checkpoint text.
    public var treeHead: String

    /// Checks the proof: the entry's canonical bytes hash to `leafHash`, the path leads from it to
    /// the head's root, and the head is signed by one of `keys`. Returns the verified head.
    public func verify(keys: [AuditVerifyingKey]) throws(AuditError) -> SignedTreeHead {
        let head = try SignedTreeHead(note: treeHead)
        try head.verify(withAnyOf: keys)
        let leaf = try entry.leafHash()
        guard leaf.base64 == leafHash else {
            throw AuditError(code: .malformedExport, message: "the entry does not hash to the leaf hash the broker sent")
        }
        let path = inclusionProof.path.compactMap(MerkleHash.init(base64:))
        let proof = InclusionProof(leafIndex: inclusionProof.leafIndex, treeSize: inclusionProof.treeSize, path: path)
        guard path.count == inclusionProof.path.count, proof.treeSize == head.head.size,
              proof.verify(leafHash: leaf, root: head.head.rootHash) else {
            throw AuditError(code: .malformedExport, message: "the inclusion proof does not lead to the signed root")
        }
        return head
    }
}

/// A consistency proof between two tree sizes.
public struct ConsistencyView: Decodable, Sendable {
    public var firstSize: Int
    public var secondSize: Int
    public var path: [String]
}

/// Signed heads in a size range and the broker's verifier key.
public struct TreeHeadsView: Decodable, Sendable {
    public var treeHeads: [String]
    public var verifierKey: String
}

/// Bodies kept for one exchange.
public struct KeptBodiesView: Decodable, Sendable {
    public struct Body: Decodable, Sendable {
        public var part: String
        public var text: String?
        public var base64: String?
        public var digest: String
    }

    public var exchangeId: String
    public var bodies: [Body]
}

/// The auditor's client of the audit API, used by `rabt audit` and the demo.
public struct AuditClient: Sendable {
    let caller: BrokerCaller

    public init(connection: BrokerConnection, transport: any Transport) {
        caller = BrokerCaller(connection: connection, transport: transport)
    }

    /// One page of entries matching `search`.
    public func search(_ search: AuditSearch) async throws(BrokerClientError) -> AuditSearchPage {
        try await caller.call("GET", "/audit/entries" + search.queryString)
    }

    /// Entry `sequence` with its inclusion proof.
    public func entry(_ sequence: Int) async throws(BrokerClientError) -> ProvenEntryView {
        try await caller.call("GET", "/audit/entries/\(sequence)")
    }

    /// The latest signed tree head; with `signNow`, a head for the log as it stands.
    public func checkpoint(signNow: Bool = false) async throws(BrokerClientError) -> SignedTreeHead {
        let response = try await caller.send(signNow ? "POST" : "GET", "/audit/checkpoint", accept: "text/plain")
        do {
            return try SignedTreeHead(note: String(decoding: response.body, as: UTF8.self))
        } catch {
            throw BrokerClientError(kind: .badAnswer, status: response.status, message: "The checkpoint cannot be read: \(error.message)", violations: [])
        }
    }

    /// Signed heads with sizes in `from...to`.
    public func treeHeads(from: Int = 0, to: Int? = nil) async throws(BrokerClientError) -> TreeHeadsView {
        try await caller.call("GET", "/audit/tree-heads" + BrokerCaller.query([("from", String(from)), ("to", to.map(String.init))]))
    }

    /// A consistency proof between tree sizes `from` and `to`.
    public func consistency(from: Int, to: Int) async throws(BrokerClientError) -> ConsistencyView {
        try await caller.call("GET", "/audit/consistency" + BrokerCaller.query([("from", String(from)), ("to", String(to))]))
    }

    /// Writes an export of entries `from..<to` (to the whole log when nil; the broker extends the
    /// end to its next signed head) to `file`.
    public func export(from: Int = 0, to: Int? = nil, file: String) async throws(BrokerClientError) {
        var caller = caller
        caller.connection.timeout = .seconds(3600)
        _ = try await caller.send(
            "GET", "/audit/export" + BrokerCaller.query([("from", String(from)), ("to", to.map(String.init))]),
            accept: "application/jsonl", responseFile: file
        )
    }

    /// The bodies kept for an exchange, decrypted.
    public func bodies(exchangeId: String) async throws(BrokerClientError) -> KeptBodiesView {
        try await caller.call("GET", "/audit/exchanges/\(BrokerCaller.escape(exchangeId))/bodies")
    }
}
