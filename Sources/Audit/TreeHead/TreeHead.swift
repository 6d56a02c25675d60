import Foundation

/// The state of the log at one moment: how many entries it holds, their Merkle root, and when.
///
/// The time has millisecond precision, the precision of the checkpoint's `timestamp` line, so a
/// head survives signing and parsing unchanged.
public struct TreeHead: Sendable, Hashable {
    /// Number of entries (leaves) covered.
    public var size: Int
    /// MTH of the first `size` leaves.
    public var rootHash: MerkleHash
    /// When the head was made, whole milliseconds since the Unix epoch (UTC).
    public var timestampMilliseconds: Int64

    /// Creates a head; `timestamp` is rounded to the millisecond.
    public init(size: Int, rootHash: MerkleHash, timestamp: Date) {
        self.init(size: size, rootHash: rootHash, timestampMilliseconds: Timestamp.milliseconds(of: timestamp))
    }

    /// Creates a head from milliseconds since the epoch.
    public init(size: Int, rootHash: MerkleHash, timestampMilliseconds: Int64) {
        self.size = size
        self.rootHash = rootHash
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// When the head was made.
    public var timestamp: Date {
        get { Timestamp.date(milliseconds: timestampMilliseconds) }
        set { timestampMilliseconds = Timestamp.milliseconds(of: newValue) }
    }
}

extension TreeHead: Codable {
    private enum Keys: String, CodingKey {
        case size, rootHash, timestamp
    }

    /// Decodes `{"size": n, "rootHash": base64, "timestamp": RFC 3339 ms}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        size = try container.decode(Int.self, forKey: .size)
        guard size >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .size, in: container, debugDescription: "negative size")
        }
        guard let hash = MerkleHash(base64: try container.decode(String.self, forKey: .rootHash)) else {
            throw DecodingError.dataCorruptedError(forKey: .rootHash, in: container, debugDescription: "not base64 of 32 bytes")
        }
        rootHash = hash
        guard let milliseconds = Timestamp.parseMilliseconds(try container.decode(String.self, forKey: .timestamp)) else {
            throw DecodingError.dataCorruptedError(forKey: .timestamp, in: container, debugDescription: "not an RFC 3339 UTC millisecond timestamp")
        }
        timestampMilliseconds = milliseconds
    }

    /// Encodes the same shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(size, forKey: .size)
        try container.encode(rootHash.base64, forKey: .rootHash)
        try container.encode(Timestamp.format(milliseconds: timestampMilliseconds), forKey: .timestamp)
    }
}
