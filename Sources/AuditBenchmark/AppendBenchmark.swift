import Audit
import Foundation
import Store

/// Append throughput with every commit flushed (`synchronous = FULL`, the store's default).
enum AppendBenchmark {
    /// One event per transaction: what every exchange would pay without group commit.
    static func perCommit(_ store: SQLiteStore, limit: Int, within budget: Duration) async throws -> (Int, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        while count < limit, clock.now - start < budget {
            _ = try await store.appendAudit([sampleEvent(count)])
            count += 1
        }
        return (count, clock.now - start)
    }

    /// Raw `appendAudit` calls of `batch` events each.
    static func batches(_ store: SQLiteStore, count: Int, batch: Int, from start: Int = 0) async throws -> Duration {
        let clock = ContinuousClock()
        let began = clock.now
        var next = start
        while next < start + count {
            let size = min(batch, start + count - next)
            _ = try await store.appendAudit((next..<next + size).map(sampleEvent))
            next += size
        }
        return clock.now - began
    }

    /// `recorders` concurrent callers, each recording one event at a time through the writer,
    /// as exchange handlers do; the writer groups them into shared transactions.
    static func writer(
        _ store: SQLiteStore, count: Int, recorders: Int
    ) async throws -> (duration: Duration, batches: Int, latencies: Latencies) {
        let writer = AuditLogWriter(store: store)
        let clock = ContinuousClock()
        let began = clock.now
        let perRecorder = count / recorders
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for recorder in 0..<recorders {
                group.addTask {
                    var own: [Double] = []
                    own.reserveCapacity(perRecorder)
                    for index in 0..<perRecorder {
                        let start = clock.now
                        _ = try await writer.record(sampleEvent(recorder * perRecorder + index))
                        own.append((clock.now - start).seconds)
                    }
                    return own
                }
            }
            return try await group.reduce(into: Latencies()) { $0.samples += $1 }
        }
        return (clock.now - began, await writer.batchCount, latencies)
    }
}
