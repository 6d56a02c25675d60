import Hummingbird
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The request context of every Rabt API: it keeps the connection so the handler can read the
/// client certificate the TLS handshake verified, and the caller a ``RoleGate`` admitted.
public struct BrokerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// Set by the ``RoleGate`` of the route's group; nil on routes no gate guards.
    var admission: RoleGate.Admission?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The client's leaf certificate, or nil when the connection presented none.
    func peerCertificate() async throws -> Certificate? {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else { return nil }
        return try Certificate(derEncoded: certificate.toDERBytes())
    }

    /// The principal the route's ``RoleGate`` admitted. On a route no gate guards this is
    /// `internal-error`: a wiring mistake of Rabt's, not the caller's.
    func principal() throws(Problem) -> Principal {
        guard let admission else { throw Problem(.internalError, "No role gate admitted the caller of this route.") }
        return admission.principal
    }
}
