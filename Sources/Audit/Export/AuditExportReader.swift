import Foundation

/// Reads an export line by line in bounded memory: the header first, then entries and head lines.
///
/// It only frames lines; the verifier judges them. A line longer than `maximumLineLength` is refused
/// rather than buffered without limit.
public final class AuditExportReader {
    /// One line after the header.
    public enum Record: Sendable, Hashable {
        /// An entry's text, exactly as written, at a 1-based line number.
        case entry(line: Int, text: [UInt8])
        /// A signed head's note text at a 1-based line number.
        case treeHead(line: Int, note: String)
    }

    /// The export's header (line 1).
    public let header: AuditExportHeader
    private var lines: LineFramer

    /// The line number of the last line read.
    public var lineNumber: Int { lines.lineNumber }

    /// Reads from `readChunk`, which returns the next bytes, or nil (or empty data) at the end;
    /// lines longer than `maximumLineLength` bytes are refused.
    public init(maximumLineLength: Int = 1 << 20, readChunk: @escaping () throws -> Data?) throws(AuditError) {
        var lines = LineFramer(maximumLineLength: maximumLineLength, readChunk: readChunk)
        guard let first = try lines.next() else {
            throw AuditError(code: .malformedExport, message: "export is empty")
        }
        self.header = try AuditExportHeader(line: first)
        self.lines = lines
    }

    /// Reads a file through a handle, `chunkSize` bytes at a time.
    public convenience init(fileHandle: FileHandle, chunkSize: Int = 1 << 20, maximumLineLength: Int = 1 << 20) throws(AuditError) {
        try self.init(maximumLineLength: maximumLineLength) {
            try fileHandle.read(upToCount: chunkSize)
        }
    }

    /// Reads an export held in memory.
    public convenience init(data: Data, maximumLineLength: Int = 1 << 20) throws(AuditError) {
        var remaining: Data? = data
        try self.init(maximumLineLength: maximumLineLength) {
            defer { remaining = nil }
            return remaining
        }
    }

    /// The next record, or nil at the end of the export.
    public func next() throws(AuditError) -> Record? {
        guard let line = try lines.next() else { return nil }
        if AuditExportWriter.isHeadLine(line) {
            do {
                let note = try JSONDecoder().decode(HeadLine.self, from: Data(line)).treeHead
                return .treeHead(line: lines.lineNumber, note: note)
            } catch {
                throw AuditError(code: .malformedExport, message: "line \(lines.lineNumber) is not a head line", cause: error)
            }
        }
        return .entry(line: lines.lineNumber, text: line)
    }

    private struct HeadLine: Decodable {
        var treeHead: String
    }
}
