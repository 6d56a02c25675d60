import Audit
import Foundation
import Signing
import Store
import X509

/// What `rabt init` does: creates (or migrates) the database of a new exchange and registers its
/// first operator, so that someone can use the admin API. Refused once an operator exists; from
/// then on operators register principals through the admin API.
///
/// The certificate must be one the broker would admit: it chains to `caFile`, allows client
/// authentication, is valid now and says `OU=operator`. The registration is an audit entry.
public func initializeExchange(
    database: String, caFile: String, operatorCertificatePEM: String, name: String?
) async throws(Problem) -> PrincipalView {
    let trustRoots: [Certificate]
    do { trustRoots = try PEMFiles.certificates(at: URL(fileURLWithPath: caFile)) } catch {
        throw Problem(.badRequest, "The exchange CA file \(caFile) is not readable PEM: \(error)", underlying: error)
    }
    let location = StoreLocation(database)
    let store: any ExchangeStore
    do {
        store = try await location.open()
    } catch {
        // The operator's own command: say what failed (the message never holds the password).
        let type: ProblemType = error.code == .invalidArgument ? .badRequest : .storeUnavailable
        throw Problem(type, "Cannot open \(location): \(error.message)", underlying: error)
    }
    do throws(Problem) {
        let principal = try await PrincipalResolver(trustRoots: trustRoots, store: store)
            .registration(certificatePEM: operatorCertificatePEM, role: .operator, name: name)
        do {
            try await store.initialize(operator: principal, recording: AdminRecord(
                .principalAdded, actor: "system:init", target: "operator:\(principal.name)",
                detail: "first operator; certificate sha-256 \(principal.certificateFingerprint)"
            ))
        } catch let error where error.code == .conflict {
            throw Problem(.conflict, "\(location) has an operator already; operators add others with `rabt principal add`.")
        } catch {
            throw Problem(error)
        }
        try? await store.close()
        return PrincipalView(principal)
    } catch {
        try? await store.close()
        throw error
    }
}
