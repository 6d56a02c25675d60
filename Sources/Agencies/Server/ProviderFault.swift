import HTTPTypes

/// A scripted misbehaviour of one route, for retry and failure tests and the demo.
public enum ProviderFault: Sendable, Hashable {
    /// The first `n` requests get `status` (with `headers`, e.g. `Retry-After`), later ones the handler.
    case failTimes(Int, status: Int = 503, headers: HTTPFields = [:])
    /// Every request waits this long before the handler answers.
    case hang(for: Duration)
    /// Every request waits until the route's fault is changed or cleared (or the server stops),
    /// then the handler answers: a request held with the provider for exactly as long as a test
    /// needs, whatever the machine's speed.
    case hold
    /// Every request gets this status and plain-text body instead of the handler's answer.
    case status(Int, body: String)
    /// Every request's connection is closed without an answer.
    case resetConnection
    /// The first `n` requests' connections are closed without an answer, later ones the handler.
    case resetTimes(Int)
    /// Every request gets this status with an empty body.
    case always(Int)
    /// Each request at random: a 503 (`failPercent` of them), a wait of `hang` before the handler
    /// answers (`hangPercent`), a closed connection (`resetPercent`), or the handler. For fault
    /// tests of delivery: a hang longer than Rabt's timeout still reaches the handler afterwards,
    /// as a slow real provider would.
    case chaos(failPercent: Int, hangPercent: Int, hang: Duration, resetPercent: Int)
}

/// What the server does with one request, decided by a route's fault and how often it was hit.
enum FaultAction: Sendable, Equatable {
    case answer(status: Int, headers: HTTPFields, body: String)
    case reset
    case delayThenHandle(Duration)
    case waitForRelease
    case handle
}

extension ProviderFault {
    /// The action for the request that is number `hit` (1-based) on the route since the fault was set.
    func action(forHit hit: Int) -> FaultAction {
        switch self {
        case .failTimes(let count, let status, let headers):
            return hit <= count ? .answer(status: status, headers: headers, body: "") : .handle
        case .hang(let duration):
            return .delayThenHandle(duration)
        case .hold:
            return .waitForRelease
        case .status(let status, let body):
            return .answer(status: status, headers: [:], body: body)
        case .resetConnection:
            return .reset
        case .resetTimes(let count):
            return hit <= count ? .reset : .handle
        case .always(let status):
            return .answer(status: status, headers: [:], body: "")
        case .chaos(let failPercent, let hangPercent, let hang, let resetPercent):
            let draw = Int.random(in: 0..<100)
            if draw < failPercent { return .answer(status: 503, headers: [:], body: "") }
            if draw < failPercent + hangPercent { return .delayThenHandle(hang) }
            if draw < failPercent + hangPercent + resetPercent { return .reset }
            return .handle
        }
    }
}
