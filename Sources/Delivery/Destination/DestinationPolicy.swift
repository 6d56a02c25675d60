/// Which addresses Rabt may open a connection to when it delivers to an agency's endpoint: a
/// registered URL must not turn the broker into a way into its own host, its link (a cloud
/// metadata service at `169.254.169.254`) or itself.
///
/// An allow-list by kind of address (``IPAddress/Kind``): private-network and global unicast
/// addresses are destinations; loopback and link-local only when the operator allows them
/// (development, the demo, the tests); unspecified, multicast and reserved addresses never; and
/// never the node's own listening sockets.
///
/// | address                               | default | `allowsPrivate` |
/// |---------------------------------------|---------|-----------------|
/// | global, private network (10/8, fc00::/7, …) | allowed | allowed |
/// | loopback, link-local                  | refused | allowed         |
/// | unspecified, multicast, reserved      | refused | refused         |
/// | the node's own address and port       | refused | refused         |
///
/// Pure: the caller supplies the addresses (`DestinationGuard` keeps them for a node).
public struct DestinationPolicy: Sendable, Hashable {
    /// Whether loopback and link-local addresses are destinations (`rabt serve --allow-private-endpoints`).
    public var allowsPrivate: Bool
    /// The port the node listens on, once known.
    public var ownPort: Int?
    /// The addresses the node can be reached at on `ownPort`.
    public var ownAddresses: Set<IPAddress>

    /// Why a destination is refused.
    public enum Refusal: Sendable, Hashable, CustomStringConvertible {
        /// The address is of a kind that is no destination (under this policy).
        case kind(IPAddress.Kind)
        /// The address and port are the node's own listening socket.
        case ownListener

        /// In words, e.g. `a loopback address`.
        public var description: String {
            switch self {
            case .kind(.privateNetwork): "a private-network address"
            case .kind(let kind): "a\(kind == .unspecified ? "n" : "") \(kind.rawValue) address"
            case .ownListener: "this broker node's own listening address"
            }
        }

        /// Whether `--allow-private-endpoints` would admit the destination.
        public var isLiftedByAllowingPrivate: Bool {
            self == .kind(.loopback) || self == .kind(.linkLocal)
        }
    }

    /// The verdict on one destination.
    public enum Verdict: Sendable, Hashable {
        /// Rabt may connect there.
        case allowed
        /// Rabt does not connect there, for this reason.
        case refused(Refusal)
    }

    /// Creates a policy; the node's own socket is added once it listens.
    public init(allowsPrivate: Bool = false, ownPort: Int? = nil, ownAddresses: Set<IPAddress> = []) {
        self.allowsPrivate = allowsPrivate
        self.ownPort = ownPort
        self.ownAddresses = ownAddresses
    }

    /// The verdict on connecting to `address` at `port`.
    public func verdict(address: IPAddress, port: Int) -> Verdict {
        if port == ownPort, ownAddresses.contains(address) || address.embeddedIPv4.map(ownAddresses.contains) == true {
            return .refused(.ownListener)
        }
        return verdict(kind: address.kind)
    }

    /// The verdict on an address of `kind` whose port is not the node's.
    public func verdict(kind: IPAddress.Kind) -> Verdict {
        switch kind {
        case .global, .privateNetwork: .allowed
        case .loopback, .linkLocal: allowsPrivate ? .allowed : .refused(.kind(kind))
        case .unspecified, .multicast, .reserved: .refused(.kind(kind))
        }
    }
}
