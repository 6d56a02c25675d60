#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fault injection for crash tests only: `RABT_TEST_CRASH_AT=<step>` in the environment of
/// `rabt serve` makes the node kill itself with SIGKILL when it reaches that step of an
/// asynchronous exchange, so a test can stop it between any two steps and check what survives.
/// Never set it outside tests. Unset (always, in production) it costs one comparison per step.
struct TestCrashPoint: Sendable {
    /// The steps a node may be killed at.
    enum Step: String, Sendable, CaseIterable {
        /// The request passed every check; its message is not stored yet.
        case beforeEnqueue = "before-enqueue"
        /// The message, its entry and its key are committed; the 202 is not written yet.
        case afterEnqueue = "after-enqueue"
        /// The delivery worker leased the message and has not sent it yet.
        case afterClaim = "after-claim"
        /// The attempt ended (the provider answered) and its outcome is not recorded yet.
        case afterProviderAnswer = "after-provider-answer"
    }

    static let variable = "RABT_TEST_CRASH_AT"

    /// No crash anywhere.
    static let none = TestCrashPoint(step: nil)

    private let step: Step?

    private init(step: Step?) { self.step = step }

    /// The step named by `RABT_TEST_CRASH_AT`; nil when unset, or unknown (`unknown` gets the text).
    init(environment: [String: String], unknown: (String) -> Void = { _ in }) {
        guard let name = environment[Self.variable] else {
            step = nil
            return
        }
        step = Step(rawValue: name)
        if step == nil { unknown(name) }
    }

    /// Kills this process at once, without any cleanup, if `step` is the one named.
    func reached(_ step: Step) {
        guard step == self.step else { return }
        kill(getpid(), SIGKILL)
    }
}
