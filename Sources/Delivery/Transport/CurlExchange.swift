import CCurl
import HTTPTypes
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One exchange in flight: owns its easy handle, header list and error buffer and frees them once.
///
/// `@unchecked Sendable` is sound because ownership moves: the caller builds the exchange, stores the
/// continuation and hands it to `CurlMultiLoop.submit`, after which only the loop thread touches the
/// mutable fields. The one field other threads touch, `cancelRequested`, sits behind a `Mutex`.
final class CurlExchange: @unchecked Sendable {
    /// Identity of the exchange while the loop holds it.
    var id: ObjectIdentifier { ObjectIdentifier(self) }
    let easy: UnsafeMutableRawPointer
    var continuation: CheckedContinuation<Result<InboundResponse, DeliveryError>, Never>?

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    let usesClientCertificate: Bool
    let maxResponseSize: Int
    /// Descriptor of `OutboundRequest.responseFile`, when the body goes to a file.
    let responseFile: Int32?

    var responseHeaders = HTTPFields()
    /// The first response field name that is not a token (shown escaped, at most 64 characters).
    var invalidFieldName: String?
    var responseBody: [UInt8] = []
    var headerBytes = 0
    var exceededMaxSize = false
    /// The policy every address is checked against before a connection opens (loop thread only).
    let destinations: DestinationPolicy?
    /// Addresses the policy refused, in words, for the failure's message.
    var refusedDestinations: [String] = []

    private let cancelled = Mutex(false)

    /// Builds and configures the easy handle; fails for requests libcurl cannot express.
    init(request: OutboundRequest, configuration: CurlTransport.Configuration) throws(DeliveryError) {
        guard let easy = curl_easy_init() else {
            throw DeliveryError(code: .transportFailed, message: "curl_easy_init failed")
        }
        self.easy = easy
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        self.usesClientCertificate = request.tls.clientCertificateFile != nil
        self.maxResponseSize = configuration.maxResponseSize
        self.destinations = configuration.destinations?.policy
        if let path = request.responseFile {
            // Only the user who downloads may read it (an audit export names who called whom).
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                curl_easy_cleanup(easy)
                errorBuffer.deallocate()
                throw DeliveryError(code: .invalidRequest, message: "cannot write the response to \(path) (errno \(errno))")
            }
            self.responseFile = descriptor
        } else {
            self.responseFile = nil
        }
        try configure(request: request, configuration: configuration)
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headerList { curl_slist_free_all(headerList) }
        if let connectToList { curl_slist_free_all(connectToList) }
        if let responseFile { close(responseFile) }
        errorBuffer.deallocate()
    }

    /// Marks the exchange cancelled; the loop thread notices on its next pass.
    func requestCancel() { cancelled.withLock { $0 = true } }

    /// Whether cancellation was requested.
    var isCancelRequested: Bool { cancelled.withLock { $0 } }

    /// The libcurl error buffer's text.
    var errorText: String {
        String(cString: errorBuffer)
    }

    private func configure(request: OutboundRequest, configuration: CurlTransport.Configuration) throws(DeliveryError) {
        let url = request.url
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw DeliveryError(code: .invalidRequest, message: "only http and https URLs are delivered")
        }
        try set(CURLOPT_URL, url)
        // The path is sent exactly as built: libcurl would otherwise remove dot segments after
        // Rabt has decided what the provider receives.
        try set(CURLOPT_PATH_AS_IS, 1)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))

        let timeoutMilliseconds = max(1, request.timeout.milliseconds)
        try set(CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
        try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, min(configuration.connectTimeout.milliseconds, timeoutMilliseconds)))
        try set(CURLOPT_MAXAGE_CONN, max(1, Int(configuration.maxIdleTime.components.seconds)))
        if request.responseFile == nil {
            try check(rabt_easy_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseSize)))
        }
        try set(CURLOPT_TCP_KEEPALIVE, 1)

        try configureTLS(request.tls)
        try configureMethodAndBody(request)
        try configureHeaders(request.headers)
        if let target = request.connectTo {
            // "::HOST:PORT": whatever the URL names, connect there.
            connectToList = curl_slist_append(nil, "::\(target)")
            try check(rabt_easy_setopt_slist(easy, CURLOPT_CONNECT_TO, connectToList))
        }

        let selfPointer = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_PRIVATE, selfPointer)
        try set(CURLOPT_WRITEDATA, selfPointer)
        try set(CURLOPT_HEADERDATA, selfPointer)
        try check(rabt_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        try check(rabt_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        if destinations != nil {
            // A proxy from the environment would be the address checked instead of the provider's.
            try set(CURLOPT_PROXY, "")
            try set(CURLOPT_OPENSOCKETDATA, selfPointer)
            try check(rabt_easy_setopt_opensocket_callback(easy, curlOpenSocketCallback))
        }
    }

    private func configureTLS(_ tls: TLSSettings) throws(DeliveryError) {
        if let caFile = tls.caFile { try set(CURLOPT_CAINFO, caFile) }
        if let certificate = tls.clientCertificateFile {
            try set(CURLOPT_SSLCERT, certificate)
            try set(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let key = tls.clientKeyFile {
            try set(CURLOPT_SSLKEY, key)
            try set(CURLOPT_SSLKEYTYPE, "PEM")
        }
        try set(CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1 : 0)
        try set(CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2 : 0)
    }

    private func configureMethodAndBody(_ request: OutboundRequest) throws(DeliveryError) {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw DeliveryError(code: .invalidRequest, message: "invalid HTTP method")
        }
        switch method {
        case "GET" where request.body.isEmpty:
            try set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            try set(CURLOPT_NOBODY, 1)
        default:
            // POSTFIELDS makes libcurl send the body with a Content-Length; CUSTOMREQUEST then
            // replaces the method word, so PUT, PATCH and DELETE carry their bodies unchanged.
            try check(rabt_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            let code = request.body.withUnsafeBufferPointer { buffer in
                // COPYPOSTFIELDS copies, so the array need not outlive this call.
                rabt_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
            }
            try check(code)
            if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
        }
    }

    /// Hands the fields to libcurl as they are: `HTTPField` names are tokens and its values hold no
    /// line breaks or NULs, so no line can smuggle another.
    private func configureHeaders(_ headers: HTTPFields) throws(DeliveryError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for field in headers.removingHopByHop() {
            // "Name;" is libcurl's way to send a field with an empty value.
            let line = field.value.isEmpty ? "\(field.name.rawName);" : "\(field.name.rawName): \(field.value)"
            list = curl_slist_append(list, line)
        }
        // Suppress the fields libcurl would add on its own: the body goes out unchanged and untyped.
        for name in [HTTPField.Name.contentType, .accept, .expect] where !headers.contains(name) {
            list = curl_slist_append(list, "\(name.rawName):")
        }
        headerList = list
        try check(rabt_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))
    }

    private func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
        try check(rabt_easy_setopt_long(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(DeliveryError) {
        // libcurl copies string options (since 7.17), so the temporary C string may go.
        try check(rabt_easy_setopt_string(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer) throws(DeliveryError) {
        try check(rabt_easy_setopt_pointer(easy, option, value))
    }

    private func check(_ code: CURLcode) throws(DeliveryError) {
        guard code == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(code))
            throw DeliveryError(code: .invalidRequest, message: "libcurl refused an option: \(text)", curlCode: Int(code.rawValue))
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, clamped to `Int`.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        let fromAttoseconds = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? Int(Int64.max) : Int(product + fromAttoseconds)
    }
}

/// Appends body bytes; refusing them (returning less than given) aborts a too-large response.
private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if let file = exchange.responseFile {
        var written = 0
        while written < length {
            let result = write(file, data + written, length - written)
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return 0 }
            written += result
        }
        return length
    }
    if exchange.responseBody.count + length > exchange.maxResponseSize {
        exchange.exceededMaxSize = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        exchange.responseBody.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

/// Opens the socket for one address libcurl is about to connect to, unless the exchange's
/// `DestinationPolicy` refuses the address: then no socket, and libcurl tries the next address or
/// fails with `CURLE_COULDNT_CONNECT`. Runs on the loop thread, after name resolution and before
/// any byte is sent, for every new connection (a reused one was checked when it opened).
private func curlOpenSocketCallback(
    _ context: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let context, let address else { return CURL_SOCKET_BAD }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    if let policy = exchange.destinations {
        let socketAddress = UnsafeRawPointer(address) + MemoryLayout<curl_sockaddr>.offset(of: \curl_sockaddr.addr)!
        guard let (ip, port) = IPAddress.endpoint(socketAddress: socketAddress) else {
            exchange.refusedDestinations.append("an address that is not IPv4 or IPv6")
            return CURL_SOCKET_BAD
        }
        if case .refused(let refusal) = policy.verdict(address: ip, port: port) {
            exchange.refusedDestinations.append("\(ip) port \(port) (\(refusal))")
            return CURL_SOCKET_BAD
        }
    }
    return socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.protocol)
}

/// Collects header lines; a status line starts a new header block (after 1xx interim responses).
private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    exchange.headerBytes += length
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        Array(UnsafeBufferPointer(start: bytes, count: length))
    }
    if line.starts(with: "HTTP/".utf8) {
        exchange.responseHeaders.removeAll()
    } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
        guard let name = HTTPField.Name(String(decoding: line[..<colon], as: UTF8.self)) else {
            if exchange.invalidFieldName == nil {
                exchange.invalidFieldName = String(decoding: line[..<colon].prefix(64), as: UTF8.self).debugDescription
            }
            return length
        }
        // Bytes a field value may not hold (the line's own CR LF among them) become spaces, then trimmed.
        exchange.responseHeaders.append(HTTPField(name: name, value: line[(colon + 1)...]))
    }
    return length
}
