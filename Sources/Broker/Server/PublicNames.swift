import Foundation
import Signing
import SwiftASN1
import Synchronization
import X509

/// The authorities (`host[:port]`) a node answers as. A consumer's signature covers the
/// authority it addressed (`@target-uri` or `@authority`); a request addressed to, and signed
/// for, any other name — another deployment of Rabt, a staging node — is refused, so a request
/// signed for one exchange can never be spent at another.
///
/// Operators name them (`rabt serve --public-name`, several allowed). Without that, a node
/// answers as the DNS names and IP addresses of its TLS certificate, and its bound address,
/// each with the port it listens on.
final class PublicNames: Sendable {
    private let names: Mutex<Set<String>>
    private let configured: Bool

    /// Names given by the operator; empty means "derive them once the port is known".
    init(_ configured: [String]) {
        self.configured = !configured.isEmpty
        self.names = Mutex(Set(configured.map(Self.normalised)))
    }

    /// Whether `authority` (as the client sent it in `Host`) is one of the node's names.
    func contains(_ authority: String) -> Bool {
        let wanted = Self.normalised(authority)
        return names.withLock { $0.contains(wanted) }
    }

    /// The names, sorted, for messages.
    var all: [String] { names.withLock { $0.sorted() } }

    /// Adds the default names once the node listens on `port`: the certificate's names and the
    /// bound host with that port. Does nothing when the operator named the node.
    func listening(host: String, port: Int, certificateFile: String) {
        guard !configured else { return }
        var hosts: [String] = []
        if let certificates = try? PEMFiles.certificates(at: URL(fileURLWithPath: certificateFile)), let leaf = certificates.first,
           let alternatives = try? leaf.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let dns): hosts.append(dns)
                case .ipAddress(let address): Self.text(ofAddress: Array(address.bytes)).map { hosts.append($0) }
                default: continue
                }
            }
        }
        if !["0.0.0.0", "::", ""].contains(host) { hosts.append(host.contains(":") ? "[\(host)]" : host) }
        let derived = hosts.map { Self.normalised("\($0):\(port)") }
        names.withLock { $0.formUnion(derived) }
    }

    /// Lower case, the default `https` port left out: as RFC 9421 reads `@authority`.
    static func normalised(_ authority: String) -> String {
        RequestComponents(method: "GET", scheme: "https", authority: authority, path: "/").authority
    }

    private static func text(ofAddress bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            var groups: [String] = []
            for index in stride(from: 0, to: 16, by: 2) {
                groups.append(String(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]), radix: 16))
            }
            return "[" + Self.compressed(groups) + "]"
        default:
            return nil
        }
    }

    /// IPv6 groups in RFC 5952 text: the longest run of two or more zero groups as `::`.
    private static func compressed(_ groups: [String]) -> String {
        var best = (start: -1, length: 0)
        var index = 0
        while index < groups.count {
            guard groups[index] == "0" else { index += 1; continue }
            var end = index
            while end < groups.count, groups[end] == "0" { end += 1 }
            if end - index > best.length, end - index >= 2 { best = (index, end - index) }
            index = end
        }
        guard best.start >= 0 else { return groups.joined(separator: ":") }
        let head = groups[..<best.start].joined(separator: ":")
        let tail = groups[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
