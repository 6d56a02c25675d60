import ArgumentParser
import Audit
import Broker
import Foundation

/// How `rabt audit` prints entries for people.
enum AuditTable {
    static func print(_ entries: [AuditEntry], header: Bool = true) {
        let rows = entries.map { entry -> [String] in
            let event = entry.event
            let parties = [event.consumer, event.provider].compactMap { $0 }.joined(separator: "→")
            let service = event.service.map { name in event.serviceVersion.map { "\(name) v\($0)" } ?? name } ?? ""
            return [
                String(entry.sequence), Timestamp.format(milliseconds: entry.timeMilliseconds), event.kind.rawValue,
                parties.isEmpty ? (event.actor ?? "") : parties, service, event.operation ?? event.target ?? "",
                event.status.map(String.init) ?? "", event.problemType ?? "",
            ]
        }
        let head = ["SEQ", "TIME", "KIND", "WHO", "SERVICE", "OPERATION/TARGET", "STATUS", "PROBLEM"]
        if header {
            CLIOutput.table(head, rows)
        } else if !rows.isEmpty {
            // Same columns without the header, for lines appended by `tail -f`.
            for row in rows { Swift.print(row.joined(separator: "  ")) }
        }
    }

    /// Every field of one entry, one per line.
    static func describe(_ entry: AuditEntry) {
        let event = entry.event
        var lines: [(String, String?)] = [
            ("sequence", String(entry.sequence)), ("time", Timestamp.format(milliseconds: entry.timeMilliseconds)),
            ("kind", event.kind.rawValue), ("exchange", event.exchangeId), ("consumer", event.consumer),
            ("provider", event.provider), ("service", event.service), ("version", event.serviceVersion.map(String.init)),
            ("operation", event.operation), ("status", event.status.map(String.init)),
            ("latency", event.latencyMs.map { "\($0) ms" }), ("request digest", event.requestDigest),
            ("response digest", event.responseDigest), ("problem", event.problemType), ("actor", event.actor),
            ("target", event.target), ("detail", event.detail),
        ]
        for (index, attempt) in (event.attempts ?? []).enumerated() {
            let outcome = attempt.status.map { "HTTP \($0)" } ?? attempt.error ?? "?"
            lines.append(("attempt \(index + 1)", "\(attempt.url) → \(outcome) in \(attempt.durationMs) ms"))
        }
        for case let (name, value?) in lines {
            Swift.print(name.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
        }
    }
}

/// An audit public key as an auditor gives it: a verifier key names itself; a PEM key takes the
/// log's origin as its name (signed-note key IDs include the name).
enum PinnedKey {
    case verifier(AuditVerifyingKey)
    case pem(String)

    /// Reads a PEM file, or a verifier key given inline or in a file.
    init(argument: String) throws {
        let text = ((try? String(contentsOfFile: argument, encoding: .utf8)) ?? argument)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("-----BEGIN") {
            self = .pem(text)
            return
        }
        do {
            self = .verifier(try AuditVerifyingKey(verifierKey: text))
        } catch {
            throw ValidationError("--public-key: \(argument) is neither an Ed25519 public key PEM nor a verifier key (\(error.message)).")
        }
    }

    /// The key for a log named `origin`.
    func key(origin: String) throws -> AuditVerifyingKey {
        switch self {
        case .verifier(let key): return key
        case .pem(let pem):
            do {
                return try AuditVerifyingKey(name: origin, pem: pem)
            } catch {
                throw ValidationError("--public-key: not an Ed25519 public key PEM (\(error.message)).")
            }
        }
    }
}

/// `--public-key`: the audit key an auditor pins.
struct PublicKeyOption: ParsableArguments {
    @Option(name: .customLong("public-key"), help: "Rabt's audit public key: a PEM file or a verifier key (name+id+key). Without it the broker's own key is used.")
    var publicKey: String?

    /// The pinned key for a log named `origin`, or the broker's (with a warning saying it was not pinned).
    func keys(origin: String, connection: ConnectionOptions) async throws -> (keys: [AuditVerifyingKey], warning: String?) {
        if let publicKey { return ([try PinnedKey(argument: publicKey).key(origin: origin)], nil) }
        let heads = try await connection.audit { client throws(BrokerClientError) in try await client.treeHeads(from: 0, to: 0) }
        do {
            return ([try AuditVerifyingKey(verifierKey: heads.verifierKey)],
                    "Checked with the key the broker announced; pass --public-key to pin Rabt's published audit key.")
        } catch {
            CLIOutput.failure("the broker's verifier key cannot be read: \(error.message)", hint: nil, exitCode: 4)
        }
    }
}

extension AuditVerifier {
    /// Verifies the export at `path` with `pinned`, or with the key its header names when nil.
    static func verifyExport(atPath path: String, pinned: PinnedKey?, checkpoints: [SignedTreeHead] = []) throws -> AuditVerificationResult {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ValidationError("Cannot open \(path).")
        }
        defer { try? handle.close() }
        let reader = try AuditExportReader(fileHandle: handle)
        if let pinned {
            return try verify(reader, keys: [try pinned.key(origin: reader.header.origin)], checkpoints: checkpoints)
        }
        guard let announced = reader.header.verifierKey else {
            throw AuditError(code: .malformedExport, message: "the export names no key; pass --public-key")
        }
        return try verify(reader, keys: [try AuditVerifyingKey(verifierKey: announced)], checkpoints: checkpoints)
    }
}

struct SearchOutput: Encodable {
    var entries: [AuditEntry]
    var nextCursor: String?
}

struct InclusionOutput: Encodable {
    var leafIndex: Int
    var treeSize: Int
    var leafHash: String
    var path: [String]
    var treeHead: String
}

struct ConsistencyOutput: Encodable {
    var firstSize: Int
    var secondSize: Int
    var path: [String]
}

struct VerifyOutput: Encodable {
    var file: String?
    var verified = true
    var entries: Int
    var treeHeads: Int
    var size: Int
    var rootHash: String

    init(_ result: AuditVerificationResult, file: String?) {
        self.file = file
        entries = result.entriesChecked
        treeHeads = result.headsChecked
        size = result.size
        rootHash = result.rootHash.base64
    }
}
