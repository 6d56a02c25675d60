import Foundation

/// The first line of an export: what log it comes from, which entries it holds and where they start.
///
/// An export of entries `from..<to` with `from > 0` cannot rebuild the tree from leaf 0, so the header
/// carries the Merkle frontier at size `from` (the roots of the perfect subtrees covering leaves
/// `0..<from`). The header is not signed: a forged frontier or range only makes the first signed head
/// in the export fail to match.
public struct AuditExportHeader: Sendable, Hashable {
    /// The format name of this version, `rabt-audit-export/1`.
    public static let currentFormat = "rabt-audit-export/1"

    /// The log's origin; every head in the export must carry it.
    public var origin: String
    /// The signed-note verifier key of the log (`name+id+key`), for information only: auditors
    /// verify against a key they obtained independently.
    public var verifierKey: String?
    /// Sequence of the first exported entry.
    public var from: Int
    /// One past the sequence of the last exported entry.
    public var to: Int
    /// Frontier nodes at size `from`, largest subtree first (`MerkleFrontier.nodes`).
    public var frontier: [MerkleHash]

    /// Creates a header.
    public init(origin: String, verifierKey: String? = nil, from: Int, to: Int, frontier: [MerkleHash]) {
        self.origin = origin
        self.verifierKey = verifierKey
        self.from = from
        self.to = to
        self.frontier = frontier
    }

    /// Creates a header for entries `frontier.size..<to`.
    public init(origin: String, verifierKey: String? = nil, frontier: MerkleFrontier, to: Int) {
        self.init(origin: origin, verifierKey: verifierKey, from: frontier.size, to: to, frontier: frontier.nodes)
    }

    /// The frontier at `from`, or nil when `frontier` does not have one node per set bit of `from`.
    public var merkleFrontier: MerkleFrontier? {
        MerkleFrontier(size: from, nodes: frontier)
    }

    /// The header line in canonical JSON, without the newline.
    public func line() throws(AuditError) -> String {
        var members: [String: CanonicalJSON] = [
            "format": .string(Self.currentFormat),
            "origin": .string(origin),
            "range": .object(["from": .integer(from), "to": .integer(to)]),
            "frontier": .array(frontier.map { .string($0.base64) }),
        ]
        if let verifierKey { members["verifierKey"] = .string(verifierKey) }
        return try CanonicalJSON.object(members).canonicalString()
    }

    /// Parses a header line; throws `malformedExport` when it is not a version 1 header.
    public init(line: some DataProtocol) throws(AuditError) {
        let decoded: Wire
        do {
            decoded = try JSONDecoder().decode(Wire.self, from: Data(line))
        } catch {
            throw AuditError(code: .malformedExport, message: "first line is not an export header", cause: error)
        }
        guard decoded.format == Self.currentFormat else {
            throw AuditError(code: .malformedExport, message: "export format is not \(Self.currentFormat)")
        }
        guard !decoded.origin.isEmpty, decoded.range.from >= 0, decoded.range.from <= decoded.range.to else {
            throw AuditError(code: .malformedExport, message: "header needs an origin and 0 ≤ from ≤ to")
        }
        var nodes: [MerkleHash] = []
        for text in decoded.frontier {
            guard let hash = MerkleHash(base64: text) else {
                throw AuditError(code: .malformedExport, message: "frontier node is not base64 of 32 bytes")
            }
            nodes.append(hash)
        }
        guard MerkleFrontier(size: decoded.range.from, nodes: nodes) != nil else {
            throw AuditError(code: .malformedExport, message: "frontier needs one node per set bit of `from`")
        }
        self.init(origin: decoded.origin, verifierKey: decoded.verifierKey, from: decoded.range.from, to: decoded.range.to, frontier: nodes)
    }

    private struct Wire: Decodable {
        struct Range: Decodable {
            var from: Int
            var to: Int
        }

        var format: String
        var origin: String
        var verifierKey: String?
        var range: Range
        var frontier: [String]
    }
}
