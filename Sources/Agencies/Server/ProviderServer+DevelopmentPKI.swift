import Foundation
import Signing

extension ProviderServer.TLS {
    /// The agency's provider certificate from a development PKI; with `requireClientCertificate`,
    /// clients must present a certificate issued by the PKI's exchange CA (as Rabt does).
    public init(pki: DevelopmentPKI, agency: String, requireClientCertificate: Bool = true) {
        self.init(
            certificateChainFile: pki.agencyServerCertificate(agency).path,
            privateKeyFile: pki.agencyServerKey(agency).path,
            clientCAFile: requireClientCertificate ? pki.caCertificate.path : nil
        )
    }
}
