/// What is known about a failed libcurl transfer; `classified()` turns it into a `DeliveryError`.
///
/// Pure, so the classification is tested without a network.
struct CurlFailure: Sendable {
    /// The `CURLcode`.
    var curlCode: Int
    /// libcurl's error text (never contains payload).
    var text: String
    /// Whether libcurl got as far as sending the request (pre-transfer time is set).
    var requestStarted: Bool
    /// Whether the transfer opened a new connection rather than reusing one.
    var freshConnection: Bool
    /// Whether any response header bytes arrived.
    var receivedResponseBytes: Bool
    /// Whether a client certificate was presented.
    var usesClientCertificate: Bool
    /// Whether the body callback refused data because of the size cap.
    var exceededMaxSize: Bool
    /// The destinations the transport's ``DestinationPolicy`` refused to connect to, in words.
    var refusedDestinations: [String] = []

    // CURLcode values used below (curl/curl.h).
    private static let unsupportedProtocol = 1, malformedURL = 3, couldNotResolveProxy = 5
    private static let couldNotResolveHost = 6, couldNotConnect = 7, weirdServerReply = 8
    private static let http2 = 16, partialFile = 18, writeError = 23, operationTimedOut = 28
    private static let sslConnectError = 35, gotNothing = 52, sendError = 55, receiveError = 56
    private static let sslCertificateProblem = 58, sslCipher = 59, peerFailedVerification = 60
    private static let fileSizeExceeded = 63, sslEngineInit = 66, sslCACertificateBadFile = 77
    private static let sslShutdownFailed = 80, sslIssuerError = 83, sslPinnedKeyMismatch = 90
    private static let sslInvalidCertificateStatus = 91, http2Stream = 92, http3 = 95, proxy = 97

    /// Maps the failure to a delivery error code.
    func classified() -> DeliveryError {
        guard code == .destinationRefused else { return DeliveryError(code: code, message: text, curlCode: curlCode) }
        let refused = "not connecting to \(refusedDestinations.joined(separator: ", ")), which is no destination for deliveries"
        return DeliveryError(code: code, message: "\(refused); \(text)", curlCode: curlCode)
    }

    private var code: DeliveryError.Code {
        switch curlCode {
        case Self.couldNotConnect where !refusedDestinations.isEmpty:
            return .destinationRefused
        case Self.couldNotResolveHost, Self.couldNotResolveProxy:
            return .dnsFailed
        case Self.couldNotConnect:
            return .connectFailed
        case Self.operationTimedOut:
            return requestStarted ? .timeout : .connectTimeout
        case Self.sendError, Self.receiveError:
            // Under TLS 1.3 the client finishes its handshake before the server has checked the
            // client certificate, so a rejection shows up as a failed first read or write on a
            // fresh connection. Treating that as a rejection keeps it from being retried forever.
            if usesClientCertificate && freshConnection && !receivedResponseBytes {
                return .tlsRejected
            }
            return .reset
        case Self.sslConnectError:
            return usesClientCertificate && mentionsCertificateAlert ? .tlsRejected : .tlsFailed
        case Self.sslCertificateProblem, Self.sslCipher, Self.peerFailedVerification, Self.sslEngineInit,
            Self.sslCACertificateBadFile, Self.sslShutdownFailed, Self.sslIssuerError,
            Self.sslPinnedKeyMismatch, Self.sslInvalidCertificateStatus:
            return .tlsFailed
        case Self.gotNothing, Self.partialFile:
            return .reset
        case Self.writeError where exceededMaxSize, Self.fileSizeExceeded:
            return .responseTooLarge
        case Self.weirdServerReply, Self.http2, Self.http2Stream, Self.http3:
            return .protocolError
        case Self.unsupportedProtocol, Self.malformedURL, Self.proxy:
            return .invalidRequest
        default:
            return .transportFailed
        }
    }

    private var mentionsCertificateAlert: Bool {
        let lowered = text.lowercased()
        return lowered.contains("alert") && (lowered.contains("certificate") || lowered.contains("unknown ca"))
    }
}
