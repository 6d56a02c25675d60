import Foundation

/// Writes an export as JSON Lines: the header, then each entry's stored canonical text as one line,
/// with each signed head on its own line right after the entry that brings the tree to its size.
///
/// Output is buffered and handed to `output` in chunks, so exports of any length stream in bounded
/// memory. The writer checks the layout (entry count, head placement, origin), never entry contents:
/// an export of a damaged log must still be written so that verification can point at the damage.
public struct AuditExportWriter {
    /// The header written first.
    public let header: AuditExportHeader
    /// Number of entries written so far.
    public private(set) var entriesWritten = 0
    private let output: ([UInt8]) throws -> Void
    private let bufferSize: Int
    private var buffer: [UInt8] = []

    private static let headPrefix = Array(#"{"treeHead":"#.utf8)

    /// Starts an export; `output` receives the bytes in order, at least `bufferSize` at a time until `finish()`.
    public init(header: AuditExportHeader, bufferSize: Int = 64 * 1024, output: @escaping ([UInt8]) throws -> Void) throws(AuditError) {
        guard header.from >= 0, header.from <= header.to, header.merkleFrontier != nil else {
            throw AuditError(code: .exportLayout, message: "header needs 0 ≤ from ≤ to and one frontier node per set bit of from")
        }
        self.header = header
        self.output = output
        self.bufferSize = max(1, bufferSize)
        buffer.reserveCapacity(self.bufferSize + 4096)
        buffer.append(contentsOf: try header.line().utf8)
        buffer.append(0x0A)
    }

    /// Starts an export into a file handle.
    public init(header: AuditExportHeader, fileHandle: FileHandle, bufferSize: Int = 64 * 1024) throws(AuditError) {
        try self.init(header: header, bufferSize: bufferSize) { bytes in
            try fileHandle.write(contentsOf: bytes)
        }
    }

    /// Writes the next entry's stored canonical text (sequence `from + entriesWritten`).
    public mutating func append(entryText text: String) throws(AuditError) {
        try append(entryBytes: Array(text.utf8))
    }

    /// Writes the next entry's stored canonical UTF-8 bytes.
    public mutating func append(entryBytes bytes: [UInt8]) throws(AuditError) {
        try bytes.withUnsafeBufferPointer { (bytes) throws(AuditError) in try append(entryBytes: bytes) }
    }

    /// Writes the next entry's stored canonical UTF-8 bytes.
    public mutating func append(entryBytes bytes: UnsafeBufferPointer<UInt8>) throws(AuditError) {
        guard header.from + entriesWritten < header.to else {
            throw AuditError(code: .exportLayout, message: "more entries than the header's range \(header.from)..<\(header.to)")
        }
        guard !bytes.isEmpty, !bytes.contains(0x0A) else {
            throw AuditError(code: .exportLayout, message: "entry \(header.from + entriesWritten) is empty or holds a newline")
        }
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        entriesWritten += 1
        try flushIfFull()
    }

    /// Writes a signed head; its size must be the number of entries so far (`from + entriesWritten`).
    public mutating func append(_ head: SignedTreeHead) throws(AuditError) {
        guard head.head.size == header.from + entriesWritten else {
            throw AuditError(code: .exportLayout, message: "head of size \(head.head.size) written after entry \(header.from + entriesWritten - 1)")
        }
        guard head.origin == header.origin else {
            throw AuditError(code: .exportLayout, message: "head origin differs from the export's origin")
        }
        buffer.append(contentsOf: try Self.line(for: head).utf8)
        buffer.append(0x0A)
        try flushIfFull()
    }

    /// Flushes the rest; throws unless exactly `to - from` entries were written.
    public mutating func finish() throws(AuditError) {
        guard header.from + entriesWritten == header.to else {
            throw AuditError(code: .exportLayout, message: "export ends after \(entriesWritten) of \(header.to - header.from) entries")
        }
        try flush()
    }

    /// The export line of a head: `{"treeHead":"<note text>"}` in canonical JSON.
    public static func line(for head: SignedTreeHead) throws(AuditError) -> String {
        try CanonicalJSON.object(["treeHead": .string(head.note)]).canonicalString()
    }

    /// Whether an export line is a head line rather than an entry.
    ///
    /// Entries always hold `kind`, `sequence` and `time`, which sort before `treeHead`, so an entry's
    /// canonical text never starts with this member.
    static func isHeadLine(_ line: some Collection<UInt8>) -> Bool {
        line.starts(with: headPrefix)
    }

    private mutating func flushIfFull() throws(AuditError) {
        if buffer.count >= bufferSize { try flush() }
    }

    private mutating func flush() throws(AuditError) {
        guard !buffer.isEmpty else { return }
        do {
            try output(buffer)
        } catch {
            throw AuditError(code: .malformedExport, message: "writing the export failed", cause: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
