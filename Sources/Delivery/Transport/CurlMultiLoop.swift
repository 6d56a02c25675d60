import CCurl
import Dispatch
import Foundation
import Logging
import Synchronization

/// Drives libcurl's multi handle on one dedicated thread and resumes callers from it.
///
/// `@unchecked Sendable` is sound because the multi handle and `inFlight` are touched only by the
/// loop thread (after `start`), except `curl_multi_wakeup`, which libcurl documents as callable
/// from any thread; everything else shared sits in the `Mutex`.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Shared {
        var pending: [CurlExchange] = []
        var shuttingDown = false
        var running = false
        /// Cleared, under the lock, just before the multi handle is freed.
        var multiAlive = true
    }

    private let multi: UnsafeMutableRawPointer
    private let shared = Mutex(Shared())
    private let finished = DispatchSemaphore(value: 0)
    private var inFlight: [ObjectIdentifier: CurlExchange] = [:]
    private let logger: Logger

    init(configuration: CurlTransport.Configuration, logger: Logger) {
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        self.logger = logger
        _ = rabt_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
        _ = rabt_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        _ = rabt_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxTotalConnections)
        // HTTP/1.1 only: no pipelining, no multiplexing.
        _ = rabt_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_NOTHING))
    }

    /// Starts the loop thread.
    func start() {
        shared.withLock { $0.running = true }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "rabt-curl"
        thread.start()
    }

    /// Queues an exchange for the loop thread; fails it at once if the loop is shut down.
    func submit(_ exchange: CurlExchange) {
        let accepted = shared.withLock { state -> Bool in
            guard !state.shuttingDown else { return false }
            state.pending.append(exchange)
            return true
        }
        if accepted {
            wakeup()
        } else {
            Self.complete(exchange, with: .failure(DeliveryError(code: .shutdown, message: "the transport is shut down")))
        }
    }

    /// Interrupts `curl_multi_poll` so the loop looks at new work or cancellations.
    func wakeup() {
        // Under the lock, so a late cancellation cannot wake a multi handle being freed.
        shared.withLock { state in
            if state.multiAlive { _ = curl_multi_wakeup(multi) }
        }
    }

    /// Stops the loop, failing what is in flight, and waits for the thread to end.
    func shutdown() {
        let wasRunning = shared.withLock { state -> Bool in
            defer { state.shuttingDown = true; state.running = false }
            return state.running
        }
        guard wasRunning else { return }
        wakeup()
        finished.wait()
    }

    private func run() {
        while true {
            let (arrivals, stopping) = shared.withLock { state in
                defer { state.pending.removeAll() }
                return (state.pending, state.shuttingDown)
            }
            if stopping {
                let error = DeliveryError(code: .shutdown, message: "the transport is shut down")
                for exchange in arrivals { Self.complete(exchange, with: .failure(error)) }
                for exchange in inFlight.values {
                    curl_multi_remove_handle(multi, exchange.easy)
                    Self.complete(exchange, with: .failure(error))
                }
                inFlight.removeAll()
                break
            }
            for exchange in arrivals { add(exchange) }
            abandonCancelled()

            var running: Int32 = 0
            let performCode = curl_multi_perform(multi, &running)
            if performCode != CURLM_OK {
                logger.warning("curl_multi_perform failed", metadata: ["delivery.curlm": "\(performCode.rawValue)"])
            }
            collectFinished()
            // Wakes early on socket activity, on curl's own timers, or on `wakeup()`.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        shared.withLock { state in
            state.multiAlive = false
            curl_multi_cleanup(multi)
        }
    }

    private func add(_ exchange: CurlExchange) {
        if exchange.isCancelRequested {
            Self.complete(exchange, with: .failure(DeliveryError(code: .cancelled, message: "the exchange was cancelled")))
            return
        }
        let code = curl_multi_add_handle(multi, exchange.easy)
        guard code == CURLM_OK else {
            let text = String(cString: curl_multi_strerror(code))
            Self.complete(exchange, with: .failure(DeliveryError(code: .transportFailed, message: "curl_multi_add_handle: \(text)")))
            return
        }
        inFlight[exchange.id] = exchange
    }

    private func abandonCancelled() {
        for (id, exchange) in inFlight where exchange.isCancelRequested {
            curl_multi_remove_handle(multi, exchange.easy)
            inFlight[id] = nil
            Self.complete(exchange, with: .failure(DeliveryError(code: .cancelled, message: "the exchange was cancelled")))
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            var privatePointer: UnsafeMutableRawPointer?
            _ = rabt_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &privatePointer)
            guard let privatePointer else { continue }
            let exchange = Unmanaged<CurlExchange>.fromOpaque(privatePointer).takeUnretainedValue()
            curl_multi_remove_handle(multi, easy)
            inFlight[exchange.id] = nil
            Self.complete(exchange, with: exchange.result(for: code))
        }
    }

    private static func complete(_ exchange: CurlExchange, with result: Result<InboundResponse, DeliveryError>) {
        let continuation = exchange.continuation
        exchange.continuation = nil
        continuation?.resume(returning: result)
    }
}
