import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1
import NIOSSL
import NIOTLS
import SwiftASN1
import Synchronization
import X509

/// What one client connection may hold of a node: its share of the node's connections, and time.
public struct ConnectionLimits: Sendable {
    /// Connections one node holds open at once; a connection beyond is closed on arrival.
    public var maxConnections: Int
    /// Connections one client certificate holds open on a node at once; a connection beyond is
    /// closed once its handshake names the certificate.
    public var maxConnectionsPerCertificate: Int
    /// From the connection's arrival (TLS handshake included), or from the end of the previous
    /// answer, until a request's header section has been read.
    public var requestHeadTimeout: Duration
    /// How long a kept-alive connection may sit between an answer and the next request.
    public var idleTimeout: Duration
    /// The slowest a request body may arrive, in bytes per second, averaged from the end of its
    /// header section, after ``bodyGrace``.
    public var minBodyRate: Int
    /// Time a body may take before ``minBodyRate`` applies.
    public var bodyGrace: Duration
    /// The most header fields one request may carry.
    public var maxHeaderCount: Int
    /// The largest header section (all fields together), and the largest single field, in bytes.
    public var maxHeaderBytes: Int

    public init(
        maxConnections: Int = 1024,
        maxConnectionsPerCertificate: Int = 128,
        requestHeadTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        minBodyRate: Int = 16 * 1024,
        bodyGrace: Duration = .seconds(5),
        maxHeaderCount: Int = 100,
        maxHeaderBytes: Int = 32 * 1024
    ) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerCertificate = maxConnectionsPerCertificate
        self.requestHeadTimeout = requestHeadTimeout
        self.idleTimeout = idleTimeout
        self.minBodyRate = minBodyRate
        self.bodyGrace = bodyGrace
        self.maxHeaderCount = maxHeaderCount
        self.maxHeaderBytes = maxHeaderBytes
    }
}

/// The connections a node holds open, counted across its event loops, in all and by client
/// certificate subject.
final class ConnectionCount: Sendable {
    private let open = Atomic<Int>(0)
    /// Connections by client certificate subject.
    let bySubject = CountsByKey()

    /// Counts one more; false (and not counted) when `limit` are already open.
    func admit(limit: Int) -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() {
        open.subtract(1, ordering: .relaxed)
    }

}

/// Bounds what one connection holds and answers what the HTTP parser refuses.
///
/// Sits right after the HTTP/1.1 decoder, ahead of the conversion to swift-http-types (placed by
/// ``ConnectionGuardInstaller``). It admits the connection against the node's limit, then runs
/// one deadline at a time: the request head (TLS handshake included, for the first request), the
/// body's minimum rate, the idle time between an answer and the next request. A request whose
/// body stalls is answered `408 request-timeout`; a connection idle or silent past its deadline
/// is closed. A request the parser refuses (a bad `Content-Length`, both `Content-Length` and
/// `Transfer-Encoding`, a NUL, an unknown method, too many or too large header fields) is answered
/// with a problem document and the connection closed, instead of a bare status. `Expect:
/// 100-continue` is answered at once: `100 Continue`, or `413` when the announced body is larger
/// than the node accepts.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Phase {
        /// Waiting for a request head: the first (from arrival) or the next (after an answer).
        case awaitingHead(first: Bool)
        /// Reading a body whose header section ended at `since` and that has brought `bytes` so far.
        case readingBody(since: NIODeadline, bytes: Int)
        /// The request is complete; the handler is answering.
        case answering
        /// Refused or timed out: nothing more is read.
        case closing
    }

    private let limits: ConnectionLimits
    private let maxBody: Int
    private let count: ConnectionCount
    private let logger: Logger
    private let refusals: RefusalRecorder?
    private var phase = Phase.awaitingHead(first: true)
    private var deadline: Scheduled<Void>?
    private var admitted = false
    /// The client certificate the handshake verified, once it was admitted: its subject holds a
    /// place among the certificate's connections, and refusals name the caller.
    private var certificate: Certificate?
    /// `METHOD target` of the request being read, for the record of a refusal.
    private var target: String?

    /// `refusals` records refusals of identified callers in the audit log (nil: only logged).
    init(limits: ConnectionLimits, maxBody: Int, count: ConnectionCount, logger: Logger, refusals: RefusalRecorder? = nil) {
        self.limits = limits
        self.maxBody = maxBody
        self.count = count
        self.logger = logger
        self.refusals = refusals
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard count.admit(limit: limits.maxConnections) else {
            logger.warning("limit hit: connection refused, the node holds its maximum", metadata: [
                "limit": "maxConnections", "limit.value": "\(limits.maxConnections)",
            ])
            phase = .closing
            context.close(promise: nil)
            return
        }
        admitted = true
        schedule(after: limits.requestHeadTimeout, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        leave()
    }

    func channelInactive(context: ChannelHandlerContext) {
        leave()
        context.fireChannelInactive()
    }

    /// Stops the deadline and gives the connection's places back, once.
    private func leave() {
        deadline?.cancel()
        if admitted {
            admitted = false
            count.release()
        }
        if let certificate {
            self.certificate = nil
            count.bySubject.release(certificate.subject.description)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent, let certificate = Self.clientCertificate(context) {
            let subject = certificate.subject.description
            guard count.bySubject.admit(subject, limit: limits.maxConnectionsPerCertificate) else {
                logger.warning("limit hit: connection refused, the client certificate holds its maximum", metadata: [
                    "limit": "maxConnectionsPerCertificate", "limit.value": "\(limits.maxConnectionsPerCertificate)",
                    "certificate.subject": "\(subject)",
                ])
                refusals?.record(
                    Problem(.tooManyRequests, "The connection was closed: this certificate already holds \(limits.maxConnectionsPerCertificate) connections."),
                    certificate: certificate, target: nil)
                phase = .closing
                context.close(promise: nil)
                return
            }
            self.certificate = certificate
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// The certificate the client presented in the handshake.
    private static func clientCertificate(_ context: ChannelHandlerContext) -> Certificate? {
        guard let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let der = try? handler.peerCertificate?.toDERBytes()
        else { return nil }
        return try? Certificate(derEncoded: der)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .awaitingHead = phase else { return }
            // The path only, as the other refusals name it: a query can carry personal data.
            target = "\(head.method.rawValue) \(head.uri.prefix { $0 != "?" }.prefix(200))"
            let invitesBody: Bool
            switch expectation(head) {
            case .refuse(let refusal):
                refuse(refusal, context: context)
                return
            case .none:
                invitesBody = false
            case .continue:
                invitesBody = true
            }
            phase = .readingBody(since: .now(), bytes: 0)
            schedule(after: limits.bodyGrace, context: context)
            if invitesBody {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
            context.fireChannelRead(data)
        case .body(let chunk):
            guard case .readingBody(let since, let bytes) = phase else { return }
            phase = .readingBody(since: since, bytes: bytes + chunk.readableBytes)
            context.fireChannelRead(data)
        case .end:
            guard case .readingBody = phase else { return }
            phase = .answering
            deadline?.cancel()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), case .answering = phase {
            phase = .awaitingHead(first: false)
            target = nil
            schedule(after: limits.idleTimeout, context: context)
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        logger.notice("request refused by the HTTP parser", metadata: ["error": "\(parserError)"])
        switch phase {
        case .awaitingHead, .readingBody:
            refuse(Self.problem(for: parserError), context: context)
        case .answering, .closing:
            // An answer is under way or the connection is going: nothing more can be said on it.
            phase = .closing
            context.close(promise: nil)
        }
    }

    /// What a request's `Expect` field calls for.
    private enum Expectation {
        /// No `Expect`: the body comes without an invitation.
        case none
        /// `100-continue` for a body this node accepts: invite it at once.
        case `continue`
        /// Anything else, or a body larger than the node accepts.
        case refuse(Problem)
    }

    /// Only `100-continue` is known, and only for a body this node would accept.
    private func expectation(_ head: HTTPRequestHead) -> Expectation {
        let expectations = head.headers["expect"]
        guard !expectations.isEmpty else { return .none }
        guard expectations.allSatisfy({ $0.lowercased() == "100-continue" }) else {
            return .refuse(Problem(.malformedRequest, "Expect may only ask for 100-continue."))
        }
        if let length = head.headers["content-length"].first.flatMap(Int.init), length > maxBody {
            return .refuse(Problem(.payloadTooLarge, "The announced body of \(length) bytes exceeds this exchange's limit of \(maxBody) bytes."))
        }
        return .continue
    }

    private func schedule(after delay: Duration, context: ChannelHandlerContext) {
        deadline?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
            loopBound.value.deadlinePassed(context: contextBound.value)
        }
    }

    private func deadlinePassed(context: ChannelHandlerContext) {
        switch phase {
        case .awaitingHead(let first):
            logger.debug("connection closed: no request head in time", metadata: [
                "limit": first ? "requestHeadTimeout" : "idleTimeout",
            ])
            phase = .closing
            context.close(promise: nil)
        case .readingBody(let since, let bytes):
            let pastGrace = NIODeadline.now() - since - TimeAmount(limits.bodyGrace)
            let owed = Double(limits.minBodyRate) * Double(pastGrace.nanoseconds) / 1e9
            if Double(bytes) >= owed {
                schedule(after: .seconds(1), context: context)
                return
            }
            logger.warning("limit hit: request body slower than the minimum rate", metadata: [
                "limit": "minBodyRate", "limit.value": "\(limits.minBodyRate)", "body.bytes": "\(bytes)",
            ])
            refuse(Problem(.requestTimeout, "The request body arrived slower than \(limits.minBodyRate) bytes per second."), context: context)
        case .answering, .closing:
            break
        }
    }

    /// Answers `problem` and closes the connection once the answer is written.
    private func refuse(_ problem: Problem, context: ChannelHandlerContext) {
        deadline?.cancel()
        if case .readingBody = phase {
            // The handler has the head and is reading the body: it must see the body fail, not
            // end, or it would take what arrived for the whole body.
            context.fireErrorCaught(BodyRefused(problem: problem))
        }
        phase = .closing
        if let certificate { refusals?.record(problem, certificate: certificate, target: target) }
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: Int(problem.type.status.code)))
        for field in problem.fields { head.headers.add(name: field.name.rawName, value: field.value) }
        let body = problem.body
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        let closing = context.eventLoop.makePromise(of: Void.self)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        closing.futureResult.whenComplete { _ in contextBound.value.close(promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: closing)
    }

    /// What the parser's refusal means to the client.
    static func problem(for error: HTTPParserError) -> Problem {
        switch error {
        case .headerOverflow:
            return Problem(.headersTooLarge, "The header section is larger or has more fields than this exchange accepts.")
        case .invalidMethod:
            return Problem(.malformedRequest, "The method is not an HTTP method (methods are case-sensitive).")
        case .unexpectedContentLength, .invalidContentLength:
            return Problem(.malformedRequest, "Content-Length is invalid, repeated with other values, or sent with Transfer-Encoding.")
        case .invalidChunkSize:
            return Problem(.malformedRequest, "A chunk size of the chunked body is invalid.")
        case .invalidHeaderToken, .invalidConstant, .lfExpected, .invalidCharactersUsed, .strictModeAssertion:
            return Problem(.malformedRequest, "A header line is malformed (a forbidden byte, a folded line or a missing colon).")
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidFragment, .invalidHost, .invalidPort:
            return Problem(.targetInvalid, "The request target holds a byte no target may hold.")
        default:
            return Problem(.malformedRequest, "The request is not valid HTTP/1.1 (\(error)).")
        }
    }
}

/// Why a request body stopped before its end: the connection guard refused it midway.
struct BodyRefused: Error {
    let problem: Problem
}

/// Puts a ``ConnectionGuard`` right after the HTTP/1.1 decoder, ahead of the conversion to
/// swift-http-types, as ``AbsoluteFormGuardInstaller`` does for its guard, and leaves.
final class ConnectionGuardInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let connectionGuard: ConnectionGuard

    init(_ connectionGuard: ConnectionGuard) {
        self.connectionGuard = connectionGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? pipeline.addHandler(connectionGuard, position: .before(codec))
        }
        pipeline.removeHandler(context: context, promise: nil)
    }
}
