import Delivery
import Foundation

/// An endpoint URL as an operator registers it, checked before anything records it: `https`,
/// no user information, no query or fragment, and no destination the node's `DestinationPolicy`
/// refuses — judged here for what the URL itself says (an IP literal, a `localhost` name, one of
/// the node's own names); what a host name resolves to is judged when Rabt connects
/// (`CurlTransport.Configuration.destinations`), since DNS may answer differently by then.
///
/// Messages quote the URL with any user information cut out (``redacted(_:)``): a refusal is
/// audited and logged, and a credential must reach neither.
enum EndpointURL {
    /// The URL as messages show it: whatever stands before an `@` in its authority becomes `…`,
    /// at most 200 characters.
    static func redacted(_ url: String) -> String {
        let authority = authority(of: url)
        guard let at = url[authority].lastIndex(of: "@") else { return String(url.prefix(200)) }
        return String((url[..<authority.lowerBound] + "…" + url[at...]).prefix(200))
    }

    /// Where the authority stands: after `://` (or from the start when there is none) up to the
    /// first `/`, `?` or `#` — read from the text itself, so that a URL no parser accepts is cut
    /// the same way.
    private static func authority(of url: String) -> Range<String.Index> {
        let start = url.range(of: "://")?.upperBound ?? url.startIndex
        return start..<(url[start...].firstIndex { "/?#".contains($0) } ?? url.endIndex)
    }

    /// Refuses a URL that is malformed (`bad-request`) or leads where the node does not deliver
    /// (`endpoint-not-permitted`).
    static func check(_ url: String, policy: DestinationPolicy, isOwnName: (String) -> Bool) throws(Problem) {
        let shown = redacted(url)
        let components = URLComponents(string: url)
        if components?.user != nil || components?.password != nil || url[authority(of: url)].contains("@") {
            throw Problem(
                .badRequest,
                "'\(shown)' carries user information (user:password@). Rabt authenticates to providers with its client certificate, and a credential in a URL would be kept in the registry and the audit log: give the URL without it."
            )
        }
        guard let components, components.scheme == "https", let rawHost = components.host, !rawHost.isEmpty,
              components.query == nil, components.fragment == nil
        else {
            throw Problem(.badRequest, "'\(shown)' is not an https URL without query or fragment.")
        }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.contains("%") else {
            throw Problem(.badRequest, "'\(shown)' names its host with percent-escapes or an IPv6 zone; name it plainly.")
        }
        let port = components.port ?? 443
        if let address = IPAddress(host) {
            try refuse(shown, address: address, port: port, policy: policy)
        } else if isNumericIPv4(host) {
            throw Problem(
                .badRequest,
                "'\(shown)' writes an IPv4 address in a short or non-decimal form, which libcurl reads as an address; write it as four decimal numbers."
            )
        } else if host == "localhost" || host.hasSuffix(".localhost") {
            // RFC 6761: localhost names are this host, whatever a resolver says.
            for loopback in ["127.0.0.1", "::1"] {
                try refuse(shown, address: IPAddress(loopback)!, port: port, policy: policy)
            }
        } else if isOwnName("\(host):\(port)") {
            throw Problem(
                .endpointNotPermitted,
                "'\(shown)' is one of this broker's own names: an endpoint must be another system, or every exchange would come back to Rabt."
            )
        }
    }

    /// Throws `endpoint-not-permitted` when `policy` refuses `address` at `port`.
    private static func refuse(_ shown: String, address: IPAddress, port: Int, policy: DestinationPolicy) throws(Problem) {
        guard case .refused(let refusal) = policy.verdict(address: address, port: port) else { return }
        let reason: String
        switch refusal {
        case .ownListener:
            reason = "an endpoint must be another system, or every exchange would come back to Rabt"
        case let refusal where refusal.isLiftedByAllowingPrivate:
            reason = "Rabt delivers to agencies' systems on other hosts; endpoints on this host or its link are allowed only when the node runs with --allow-private-endpoints (RABT_ALLOW_PRIVATE_ENDPOINTS), for development"
        case .kind:
            reason = "no system can be reached there"
        }
        throw Problem(.endpointNotPermitted, "'\(shown)' leads to \(address) port \(port), \(refusal): \(reason).")
    }

    /// Whether `host` is an IPv4 address written the way `inet_aton` and libcurl also read it —
    /// fewer than four parts, or parts in hex or octal (`127.1`, `2130706433`, `0x7f.0.0.1`) —
    /// which a check of dotted decimal alone would take for a name.
    static func isNumericIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            let lowered = part.lowercased()
            if lowered.hasPrefix("0x") { return lowered.dropFirst(2).allSatisfy(\.isHexDigit) }
            return !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber }
        }
    }
}
