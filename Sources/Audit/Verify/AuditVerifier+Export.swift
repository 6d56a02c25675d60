import Foundation

extension AuditVerifier {
    /// Verifies a whole export read from `readChunk` (see `AuditExportReader`) against the trusted keys.
    ///
    /// `checkpoints` are heads the auditor obtained elsewhere (e.g. the latest published one): each is
    /// checked against the export at its size, so an export cut short before it fails with
    /// `headBeyondEntries`.
    public static func verifyExport(
        keys: [AuditVerifyingKey],
        checkpoints: [SignedTreeHead] = [],
        options: Options = Options(),
        maximumLineLength: Int = 1 << 20,
        readChunk: @escaping () throws -> Data?
    ) throws(AuditVerificationFailure) -> AuditVerificationResult {
        let reader: AuditExportReader
        do {
            reader = try AuditExportReader(maximumLineLength: maximumLineLength, readChunk: readChunk)
        } catch {
            let kind: AuditVerificationFailure.Kind = error.code == .exportUnreadable ? .unreadable : .headerMalformed
            throw AuditVerificationFailure(kind: kind, line: 1, message: error.message, cause: error)
        }
        return try verify(reader, keys: keys, checkpoints: checkpoints, options: options)
    }

    /// Verifies a whole export file read through `fileHandle`.
    public static func verifyExport(
        fileHandle: FileHandle, keys: [AuditVerifyingKey], checkpoints: [SignedTreeHead] = [], options: Options = Options()
    ) throws(AuditVerificationFailure) -> AuditVerificationResult {
        try verifyExport(keys: keys, checkpoints: checkpoints, options: options) { try fileHandle.read(upToCount: 1 << 20) }
    }

    /// Verifies the rest of an export from an open reader, plus the given checkpoints.
    public static func verify(
        _ reader: AuditExportReader, keys: [AuditVerifyingKey], checkpoints: [SignedTreeHead] = [], options: Options = Options()
    ) throws(AuditVerificationFailure) -> AuditVerificationResult {
        var verifier = try AuditVerifier(header: reader.header, keys: keys, options: options)
        for checkpoint in checkpoints {
            try verifier.append(treeHead: checkpoint)
        }
        while true {
            let record: AuditExportReader.Record?
            do {
                record = try reader.next()
            } catch {
                let kind: AuditVerificationFailure.Kind = error.code == .exportUnreadable ? .unreadable : .headMalformed
                throw AuditVerificationFailure(kind: kind, sequence: verifier.size, line: reader.lineNumber + 1, message: error.message, cause: error)
            }
            switch record {
            case .entry(let line, let text):
                try verifier.append(entryBytes: text, line: line)
            case .treeHead(let line, let note):
                try verifier.append(treeHeadNote: note, line: line)
            case nil:
                return try verifier.finish()
            }
        }
    }
}
