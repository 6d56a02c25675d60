import Hummingbird
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The request context of every Rabt API: it keeps the connection so the handler can read the
/// client certificate the TLS handshake verified.
public struct BrokerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The client's leaf certificate, or nil when the connection presented none.
    func peerCertificate() async throws -> Certificate? {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else { return nil }
        return try Certificate(derEncoded: certificate.toDERBytes())
    }
}
