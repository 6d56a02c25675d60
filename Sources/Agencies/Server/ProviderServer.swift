import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A sample provider agency: an HTTPS (or plain HTTP) server on 127.0.0.1 with an ephemeral port,
/// serving registered routes, with scripted faults per route, recording every request it receives.
public final class ProviderServer: Sendable {
    /// The server's TLS material; with `clientCAFile` set, a client certificate signed by that CA is required.
    public struct TLS: Sendable, Hashable {
        /// PEM file of the server certificate (chain).
        public var certificateChainFile: String
        /// PEM file of its private key.
        public var privateKeyFile: String
        /// PEM file of the CA(s) client certificates must chain to; `nil` asks for no client certificate.
        public var clientCAFile: String?

        /// Creates TLS settings.
        public init(certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil) {
            self.certificateChainFile = certificateChainFile
            self.privateKeyFile = privateKeyFile
            self.clientCAFile = clientCAFile
        }
    }

    private struct State {
        var routes: [ProviderRoute] = []
        var faults: [String: (fault: ProviderFault, hits: Int)] = [:]
        /// Requests waiting under `.hold`, by route, until the route's fault changes.
        var held: [String: [CheckedContinuation<Void, Never>]] = [:]
        var received: [ProviderRequest] = []
        var run: Task<Void, Never>?
        var port: Int?
    }

    /// A name for log lines, e.g. the agency id.
    public let name: String
    private let tls: TLS?
    private let logger: Logger
    private let maxRequestSize: Int
    private let state = Mutex(State())

    /// Creates a server; nothing listens until `start()`.
    /// - Parameters:
    ///   - tls: certificate and key for HTTPS; `nil` serves plain HTTP.
    ///   - maxRequestSize: largest request body accepted.
    public init(name: String, routes: [ProviderRoute] = [], tls: TLS?, maxRequestSize: Int = 4 * 1024 * 1024, logger: Logger) {
        self.name = name
        self.tls = tls
        self.logger = logger
        self.maxRequestSize = maxRequestSize
        state.withLock { $0.routes = routes }
    }

    /// Adds routes; only those added before `start()` are served.
    public func add(_ routes: [ProviderRoute]) {
        state.withLock { $0.routes += routes }
    }

    /// Sets (or with `nil` clears) the fault of the route `method path`, resetting its hit count;
    /// requests held by an earlier `.hold` go on to the handler.
    public func script(_ method: String, _ path: String, _ fault: ProviderFault?) {
        let key = Self.routeKey(method, path)
        let released = state.withLock { state in
            state.faults[key] = fault.map { ($0, 0) }
            return state.held.removeValue(forKey: key) ?? []
        }
        released.forEach { $0.resume() }
    }

    /// How many requests have reached the route `method path` since its fault was scripted,
    /// counted on arrival (before a scripted delay); 0 for a route without a fault.
    public func scriptedHits(_ method: String, _ path: String) -> Int {
        let key = Self.routeKey(method, path)
        return state.withLock { $0.faults[key]?.hits ?? 0 }
    }

    /// Every request received so far, oldest first (also those for unknown routes).
    public var receivedRequests: [ProviderRequest] {
        state.withLock { $0.received }
    }

    /// Forgets the recorded requests.
    public func clearReceivedRequests() {
        state.withLock { $0.received.removeAll() }
    }

    /// The bound port while running.
    public var port: Int? { state.withLock { $0.port } }

    /// `https://127.0.0.1:<port>` (or `http://…`) while running.
    public var baseURL: String? {
        port.map { "\(tls == nil ? "http" : "https")://127.0.0.1:\($0)" }
    }

    /// Binds `host` (127.0.0.1 unless told) on `port` (0: an ephemeral one), starts serving and returns the port.
    public func start(host: String = "127.0.0.1", port requested: Int = 0) async throws -> Int {
        let router = Router(context: ProviderRequestContext.self)
        router.add(middleware: RecordingMiddleware(server: self))
        for route in state.withLock({ $0.routes }) {
            guard let method = HTTPRequest.Method(route.method.uppercased()) else {
                throw ProviderServerError("invalid method \(route.method)")
            }
            let key = Self.routeKey(route.method, route.path)
            let handler = route.handler
            router.on(RouterPath(route.path), method: method) { [self] request, context in
                try await respond(request, context: context, routeKey: key, handler: handler)
            }
        }
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: Self.tlsConfiguration($0)) } ?? .http1()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: requested), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let logger = self.logger
        let name = self.name
        // The task is kept in `state` and ended by `stop()`, which cancels and awaits it.
        let run = Task {
            do {
                try await application.run()
            } catch {
                logger.error("provider server stopped with an error", metadata: ["provider": "\(name)", "error": "\(error)"])
            }
            portContinuation.finish()
        }
        state.withLock { $0.run = run }
        for await port in ports where port > 0 {
            state.withLock { $0.port = port }
            logger.info("provider server listening", metadata: ["provider": "\(name)", "port": "\(port)"])
            return port
        }
        await stop()
        throw ProviderServerError("the server did not start")
    }

    /// Stops serving and waits until the server has shut down. Safe to call twice.
    public func stop() async {
        let run = state.withLock { state in
            defer { state.run = nil; state.port = nil }
            return state.run
        }
        let released = state.withLock { state in
            defer { state.held = [:] }
            return state.held.values.flatMap { $0 }
        }
        released.forEach { $0.resume() }
        run?.cancel()
        await run?.value
    }

    fileprivate func record(_ request: ProviderRequest) {
        state.withLock { $0.received.append(request) }
    }

    fileprivate var bodyLimit: Int { maxRequestSize }

    private func respond(_ request: Request, context: ProviderRequestContext, routeKey: String, handler: ProviderHandler) async throws -> Response {
        let action: FaultAction = state.withLock { state in
            guard var entry = state.faults[routeKey] else { return .handle }
            entry.hits += 1
            state.faults[routeKey] = entry
            return entry.fault.action(forHit: entry.hits)
        }
        switch action {
        case .answer(let status, let headers, let body):
            return Self.response(ProviderResponse(status: status, headers: headers, body: Array(body.utf8)))
        case .reset:
            context.channel.close(mode: .all, promise: nil)
            throw ProviderServerError("connection closed by a scripted fault")
        case .delayThenHandle(let duration):
            try await Task.sleep(for: duration)
        case .waitForRelease:
            await withCheckedContinuation { continuation in
                let stillHeld = state.withLock { state in
                    guard state.faults[routeKey]?.fault == .hold, state.run != nil else { return false }
                    state.held[routeKey, default: []].append(continuation)
                    return true
                }
                if !stillHeld { continuation.resume() }
            }
        case .handle:
            break
        }
        var providerRequest = try await Self.providerRequest(request, context: context, limit: maxRequestSize)
        providerRequest.parameters = Dictionary(
            context.parameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first }
        )
        return Self.response(try await handler(providerRequest))
    }

    static func providerRequest(_ request: Request, context: ProviderRequestContext, limit: Int) async throws -> ProviderRequest {
        let body = try await request.body.collect(upTo: limit)
        return ProviderRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: request.uri.query,
            authority: request.head.authority,
            headers: request.headers,
            body: Array(body.readableBytesView),
            remotePort: context.channel.remoteAddress?.port,
            clientCertificateDER: await clientCertificate(on: context.channel)
        )
    }

    /// The peer certificate from the connection's TLS handler, read on its event loop.
    private static func clientCertificate(on channel: any Channel) async -> [UInt8]? {
        let future = channel.pipeline.handler(type: NIOSSLServerHandler.self).map { handler -> [UInt8]? in
            try? handler.peerCertificate?.toDERBytes()
        }
        return try? await future.get()
    }

    private static func response(_ response: ProviderResponse) -> Response {
        Response(
            status: HTTPResponse.Status(code: response.status),
            headers: response.headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
        )
    }

    private static func tlsConfiguration(_ tls: TLS) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChainFile).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: tls.privateKeyFile, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        // Clients keep idle connections pooled without reading them, so they never answer a
        // close_notify; waiting the default 5 s for it would only slow `stop()` down.
        configuration.shutdownTimeout = .milliseconds(100)
        if let clientCAFile = tls.clientCAFile {
            configuration.trustRoots = .file(clientCAFile)
            // Requires a client certificate chaining to the CA; clients have no host name to check.
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }

    private static func routeKey(_ method: String, _ path: String) -> String {
        "\(method.uppercased()) \(path)"
    }
}

/// Records each request (body included) before routing, so unknown routes are recorded too.
private struct RecordingMiddleware: RouterMiddleware {
    typealias Context = ProviderRequestContext
    let server: ProviderServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        _ = try await request.collectBody(upTo: server.bodyLimit)
        server.record(try await ProviderServer.providerRequest(request, context: context, limit: server.bodyLimit))
        return try await next(request, context)
    }
}

/// The request context of provider servers: Hummingbird's basics plus the connection's channel.
struct ProviderRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    var coreContext: CoreRequestContextStorage
    /// The connection, to read the peer address or close it for a scripted reset.
    let channel: any Channel

    /// Creates the context for a request arriving on `source.channel`.
    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Bodies up to 16 MiB; `ProviderServer` applies its own, usually smaller, limit.
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}

/// The one error type of the Agencies module.
public struct ProviderServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
