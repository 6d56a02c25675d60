#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times an operation the way `scripts/bench/schema_baseline.py` does, so the figures compare.
///
/// Thread CPU time (the machine is shared, so wall time would count other processes' work); a
/// batch of calls sized to take about 10 ms is one round; the result is the median round, after
/// at least 3 and at most 9 rounds or once the budget is spent.
struct Measure {
    static let roundNanoseconds = 10_000_000.0
    static let minimumRounds = 3
    static let maximumRounds = 9
    static let maximumBatch = 1_000_000

    /// Soft bound on the wall time one measure takes once its minimum rounds are done.
    var budget: Duration

    /// Median operations per second of `body`.
    func opsPerSecond(_ body: () -> Void) -> Double {
        var start = Self.threadTime()
        body()
        let first = max(Self.threadTime() - start, 1)
        let batch = max(1, min(Self.maximumBatch, Int((Self.roundNanoseconds / first).rounded(.up))))
        var rates: [Double] = []
        let clock = ContinuousClock()
        let began = clock.now
        while rates.count < Self.maximumRounds {
            start = Self.threadTime()
            for _ in 0..<batch { body() }
            let elapsed = max(Self.threadTime() - start, 1)
            rates.append(Double(batch) * 1e9 / elapsed)
            if rates.count >= Self.minimumRounds, clock.now - began > budget { break }
        }
        rates.sort()
        return rates[rates.count / 2]
    }

    /// CPU time of the calling thread in nanoseconds.
    static func threadTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1e9 + Double(now.tv_nsec)
    }
}
