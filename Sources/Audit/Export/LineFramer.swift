import Foundation

/// Splits a stream of chunks into newline-terminated lines, holding at most one line plus one chunk.
struct LineFramer {
    let maximumLineLength: Int
    private(set) var lineNumber = 0
    private let readChunk: () throws -> Data?
    private var buffer: [UInt8] = []
    private var start = 0
    private var exhausted = false

    init(maximumLineLength: Int, readChunk: @escaping () throws -> Data?) {
        self.maximumLineLength = maximumLineLength
        self.readChunk = readChunk
    }

    /// The next line without its newline, or nil at the end of the stream.
    mutating func next() throws(AuditError) -> [UInt8]? {
        while true {
            if let newline = newlineIndex() {
                guard newline - start <= maximumLineLength else { throw tooLong() }
                let line = Array(buffer[start..<newline])
                start = newline + 1
                lineNumber += 1
                return line
            }
            guard buffer.count - start <= maximumLineLength else { throw tooLong() }
            if exhausted {
                guard start < buffer.count else { return nil }
                // A last line without its newline still counts.
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            let chunk: Data?
            do {
                chunk = try readChunk()
            } catch {
                throw AuditError(code: .exportUnreadable, message: "reading the export failed", cause: error)
            }
            buffer.removeSubrange(..<start)
            start = 0
            if let chunk, !chunk.isEmpty {
                buffer.append(contentsOf: chunk)
            } else {
                exhausted = true
            }
        }
    }

    private func tooLong() -> AuditError {
        AuditError(code: .exportUnreadable, message: "line \(lineNumber + 1) is longer than \(maximumLineLength) bytes")
    }

    private func newlineIndex() -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let base = pointer.baseAddress,
                  let found = memchr(base + start, 0x0A, pointer.count - start)
            else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
