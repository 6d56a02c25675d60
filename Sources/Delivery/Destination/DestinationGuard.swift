import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A node's ``DestinationPolicy``, shared by its transport (which checks every address it
/// connects to) and its admin API (which checks endpoint URLs when they are registered); it
/// learns the node's own listening socket once the server is bound.
public final class DestinationGuard: Sendable {
    private let current: Mutex<DestinationPolicy>

    /// Guards with `policy`.
    public init(_ policy: DestinationPolicy) {
        current = Mutex(policy)
    }

    /// The policy as it stands.
    public var policy: DestinationPolicy { current.withLock { $0 } }

    /// Records the node's listening socket: `address` as bound (the unspecified address stands for
    /// every address of the host's interfaces, read once now) and `port`.
    public func listening(on address: IPAddress?, port: Int) {
        var own: Set<IPAddress> = []
        if let address, address.kind != .unspecified {
            own.insert(address)
        } else {
            own = Self.interfaceAddresses()
            own.insert(IPAddress(bytes: [0, 0, 0, 0])!)
            own.insert(IPAddress(bytes: [UInt8](repeating: 0, count: 16))!)
        }
        current.withLock {
            $0.ownPort = port
            $0.ownAddresses = own
        }
    }

    /// The IPv4 and IPv6 addresses of the host's network interfaces, loopback included.
    static func interfaceAddresses() -> Set<IPAddress> {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var addresses: Set<IPAddress> = []
        var next = first
        while let interface = next {
            defer { next = interface.pointee.ifa_next }
            guard let socketAddress = interface.pointee.ifa_addr else { continue }
            if let address = IPAddress.endpoint(socketAddress: UnsafeRawPointer(socketAddress))?.address { addresses.insert(address) }
        }
        return addresses
    }
}

extension IPAddress {
    /// Reads a `sockaddr_in` or `sockaddr_in6` (the family says which): its address and port.
    /// Nil for any other family.
    static func endpoint(socketAddress raw: UnsafeRawPointer) -> (address: IPAddress, port: Int)? {
        switch Int32(raw.loadUnaligned(as: sockaddr.self).sa_family) {
        case AF_INET:
            let socket = raw.loadUnaligned(as: sockaddr_in.self)
            let bytes = withUnsafeBytes(of: socket.sin_addr) { Array($0) }
            return IPAddress(bytes: bytes).map { ($0, Int(UInt16(bigEndian: socket.sin_port))) }
        case AF_INET6:
            let socket = raw.loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: socket.sin6_addr) { Array($0) }
            return IPAddress(bytes: bytes).map { ($0, Int(UInt16(bigEndian: socket.sin6_port))) }
        default:
            return nil
        }
    }
}
