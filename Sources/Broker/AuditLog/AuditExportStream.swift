import Audit
import Hummingbird
import NIOCore
import Store

/// Streams an export (docs/audit.md, "Export format") of entries `from..<to` with every signed
/// head whose size lies in `from...to`, one bounded batch of entries in memory at a time.
struct AuditExportStream: Sendable {
    let store: any ExchangeStore
    let origin: String
    let verifierKey: String
    let from: Int
    let to: Int

    /// Collects what the synchronous export writer emits until it is sent.
    private final class Pending {
        var chunks: [[UInt8]] = []
    }

    /// Writes the export to `body`; a store or layout failure ends the stream early, which the
    /// verifier then reports as a truncated export.
    func write(to body: inout any ResponseBodyWriter) async throws {
        let pending = Pending()
        let header = AuditExportHeader(
            origin: origin, verifierKey: verifierKey, frontier: try await store.auditFrontier(size: from), to: to
        )
        var writer = try AuditExportWriter(header: header) { bytes in pending.chunks.append(bytes) }
        var position = from
        try await appendHeads(sizes: from...from, to: &writer)
        for try await batch in store.auditTextBatches(from..<to) {
            let heads = try await store.treeHeads(sizes: (position + 1)...(position + batch.count), limit: batch.count)
            var nextHead = heads.startIndex
            for text in batch {
                try writer.append(entryText: text)
                position += 1
                while nextHead < heads.endIndex, heads[nextHead].size == position {
                    try writer.append(SignedTreeHead(note: heads[nextHead].note))
                    nextHead += 1
                }
            }
            try await send(pending, to: &body)
        }
        try writer.finish()
        try await send(pending, to: &body)
        try await body.finish(nil)
    }

    private func appendHeads(sizes: ClosedRange<Int>, to writer: inout AuditExportWriter) async throws {
        for head in try await store.treeHeads(sizes: sizes, limit: 1) {
            try writer.append(SignedTreeHead(note: head.note))
        }
    }

    private func send(_ pending: Pending, to body: inout any ResponseBodyWriter) async throws {
        for chunk in pending.chunks {
            try await body.write(ByteBuffer(bytes: chunk))
        }
        pending.chunks.removeAll(keepingCapacity: true)
    }
}
