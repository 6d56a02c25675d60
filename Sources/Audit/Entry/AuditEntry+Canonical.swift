import Crypto
import Foundation

extension AuditEntry {
    /// The entry as a JSON value; absent optional fields are omitted.
    public var canonicalValue: CanonicalJSON {
        var members: [String: CanonicalJSON] = [
            "sequence": .integer(sequence),
            "time": .string(Timestamp.format(milliseconds: timeMilliseconds)),
            "kind": .string(event.kind.rawValue),
        ]
        func put(_ name: String, _ value: String?) {
            if let value { members[name] = .string(value) }
        }
        func put(_ name: String, _ value: Int?) {
            if let value { members[name] = .integer(value) }
        }
        put("exchangeId", event.exchangeId)
        put("consumer", event.consumer)
        put("provider", event.provider)
        put("service", event.service)
        put("serviceVersion", event.serviceVersion)
        put("operation", event.operation)
        put("status", event.status)
        if let attempts = event.attempts {
            members["attempts"] = .array(attempts.map { attempt in
                var fields: [String: CanonicalJSON] = [
                    "url": .string(attempt.url),
                    "durationMs": .integer(attempt.durationMs),
                ]
                if let status = attempt.status { fields["status"] = .integer(status) }
                if let error = attempt.error { fields["error"] = .string(error) }
                return .object(fields)
            })
        }
        put("latencyMs", event.latencyMs)
        put("requestDigest", event.requestDigest)
        put("responseDigest", event.responseDigest)
        put("problemType", event.problemType)
        put("actor", event.actor)
        put("target", event.target)
        put("detail", event.detail)
        put("before", event.before)
        put("after", event.after)
        return .object(members)
    }

    /// The RFC 8785 canonical UTF-8 bytes: what the leaf hash covers and what the log stores.
    ///
    /// The same bytes as `canonicalValue.canonicalBytes()`, written without building the value.
    public func canonicalBytes() throws(AuditError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        try writeCanonical(into: &bytes)
        return bytes
    }

    /// The canonical form as text.
    public func canonicalText() throws(AuditError) -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    /// Appends the canonical bytes to `bytes`, so a caller encoding many entries reuses one buffer.
    ///
    /// On failure `bytes` may hold part of the entry.
    public func writeCanonical(into bytes: inout [UInt8]) throws(AuditError) {
        var writer = CanonicalWriter(appendingTo: bytes)
        bytes = []
        // Hand the buffer back (without a copy) however the writing ends.
        defer { bytes = writer.bytes }
        // Members in RFC 8785 order (UTF-16 code units of the names; all ASCII, so byte order).
        // AuditEntryCanonicalWriterTests checks it against the sorting `CanonicalJSON` does.
        writer.beginObject()
        writer.member("actor", event.actor)
        writer.member("after", event.after)
        if let attempts = event.attempts {
            writer.member("attempts")
            writer.beginArray()
            for attempt in attempts {
                writer.element()
                writer.beginObject()
                try writer.member("durationMs", attempt.durationMs)
                writer.member("error", attempt.error)
                try writer.member("status", attempt.status)
                writer.member("url", attempt.url)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.member("before", event.before)
        writer.member("consumer", event.consumer)
        writer.member("detail", event.detail)
        writer.member("exchangeId", event.exchangeId)
        writer.member("kind", event.kind.rawValue)
        try writer.member("latencyMs", event.latencyMs)
        writer.member("operation", event.operation)
        writer.member("problemType", event.problemType)
        writer.member("provider", event.provider)
        writer.member("requestDigest", event.requestDigest)
        writer.member("responseDigest", event.responseDigest)
        try writer.member("sequence", sequence)
        writer.member("service", event.service)
        try writer.member("serviceVersion", event.serviceVersion)
        try writer.member("status", event.status)
        writer.member("target", event.target)
        writer.member("time")
        writer.timestamp(milliseconds: timeMilliseconds)
        writer.endObject()
    }

    /// The RFC 9162 leaf hash, `SHA-256(0x00 ‖ canonical bytes)`.
    public func leafHash() throws(AuditError) -> MerkleHash {
        MerkleHash.leaf(try canonicalBytes())
    }

    /// Decodes an entry from its canonical (or any equivalent JSON) text; unknown members are ignored.
    public init(canonicalText: String) throws(AuditError) {
        do {
            self = try JSONDecoder().decode(AuditEntry.self, from: Data(canonicalText.utf8))
        } catch {
            throw AuditError(code: .malformedEntry, message: "entry text does not decode", cause: error)
        }
    }
}

extension AuditEntry: Codable {
    private enum Keys: String, CodingKey {
        case sequence, time, kind, exchangeId, consumer, provider, service, serviceVersion, operation, status
        case attempts, latencyMs, requestDigest, responseDigest, problemType, actor, target, detail
        case before, after
    }

    /// Decodes the flat JSON shape of the canonical form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        sequence = try container.decode(Int.self, forKey: .sequence)
        let timeText = try container.decode(String.self, forKey: .time)
        guard let milliseconds = Timestamp.parseMilliseconds(timeText) else {
            throw DecodingError.dataCorruptedError(forKey: .time, in: container, debugDescription: "not an RFC 3339 UTC millisecond timestamp")
        }
        timeMilliseconds = milliseconds
        event = AuditEvent(
            kind: AuditEvent.Kind(try container.decode(String.self, forKey: .kind)),
            exchangeId: try container.decodeIfPresent(String.self, forKey: .exchangeId),
            consumer: try container.decodeIfPresent(String.self, forKey: .consumer),
            provider: try container.decodeIfPresent(String.self, forKey: .provider),
            service: try container.decodeIfPresent(String.self, forKey: .service),
            serviceVersion: try container.decodeIfPresent(Int.self, forKey: .serviceVersion),
            operation: try container.decodeIfPresent(String.self, forKey: .operation),
            status: try container.decodeIfPresent(Int.self, forKey: .status),
            attempts: try container.decodeIfPresent([AuditEvent.Attempt].self, forKey: .attempts),
            latencyMs: try container.decodeIfPresent(Int.self, forKey: .latencyMs),
            requestDigest: try container.decodeIfPresent(String.self, forKey: .requestDigest),
            responseDigest: try container.decodeIfPresent(String.self, forKey: .responseDigest),
            problemType: try container.decodeIfPresent(String.self, forKey: .problemType),
            actor: try container.decodeIfPresent(String.self, forKey: .actor),
            target: try container.decodeIfPresent(String.self, forKey: .target),
            detail: try container.decodeIfPresent(String.self, forKey: .detail),
            before: try container.decodeIfPresent(String.self, forKey: .before),
            after: try container.decodeIfPresent(String.self, forKey: .after)
        )
    }

    /// Encodes the same flat shape (not canonical: use `canonicalBytes()` for hashing).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(Timestamp.format(milliseconds: timeMilliseconds), forKey: .time)
        try container.encode(event.kind.rawValue, forKey: .kind)
        try container.encodeIfPresent(event.exchangeId, forKey: .exchangeId)
        try container.encodeIfPresent(event.consumer, forKey: .consumer)
        try container.encodeIfPresent(event.provider, forKey: .provider)
        try container.encodeIfPresent(event.service, forKey: .service)
        try container.encodeIfPresent(event.serviceVersion, forKey: .serviceVersion)
        try container.encodeIfPresent(event.operation, forKey: .operation)
        try container.encodeIfPresent(event.status, forKey: .status)
        try container.encodeIfPresent(event.attempts, forKey: .attempts)
        try container.encodeIfPresent(event.latencyMs, forKey: .latencyMs)
        try container.encodeIfPresent(event.requestDigest, forKey: .requestDigest)
        try container.encodeIfPresent(event.responseDigest, forKey: .responseDigest)
        try container.encodeIfPresent(event.problemType, forKey: .problemType)
        try container.encodeIfPresent(event.actor, forKey: .actor)
        try container.encodeIfPresent(event.target, forKey: .target)
        try container.encodeIfPresent(event.detail, forKey: .detail)
        try container.encodeIfPresent(event.before, forKey: .before)
        try container.encodeIfPresent(event.after, forKey: .after)
    }
}


