#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, as its 4 or 16 bytes.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Where an address leads, as far as deciding whether Rabt may deliver there.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `0.0.0.0/8`, `::`: no destination at all (a connection to it reaches this host).
        case unspecified
        /// `127.0.0.0/8`, `::1`: this host.
        case loopback
        /// `169.254.0.0/16` (where cloud metadata services answer), `fe80::/10`: the local link.
        case linkLocal = "link-local"
        /// `224.0.0.0/4`, `ff00::/8`.
        case multicast
        /// Reserved, deprecated or documentation ranges (`240.0.0.0/4`, IPv4-compatible IPv6,
        /// site-local `fec0::/10`, Teredo, `2001:db8::/32`, and any IPv6 outside the unicast
        /// ranges below).
        case reserved
        /// Private networks, where agencies' systems live: `10/8`, `172.16/12`, `192.168/16`,
        /// shared address space `100.64/10`, unique local `fc00::/7`.
        case privateNetwork = "private"
        /// Any other IPv4 unicast address; IPv6 global unicast `2000::/3`.
        case global
    }

    /// The address in network order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Wraps 4 or 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Reads a literal: dotted-decimal IPv4 (four parts, nothing shorter or in other bases) or
    /// IPv6 text, with or without the brackets of a URL's host; no zone.
    public init?(_ text: some StringProtocol) {
        var literal = String(text)
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        var four = [UInt8](repeating: 0, count: 4)
        var sixteen = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, literal, &four) == 1 {
            bytes = four
        } else if inet_pton(AF_INET6, literal, &sixteen) == 1 {
            bytes = sixteen
        } else {
            return nil
        }
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The address as text: dotted decimal, or RFC 5952 IPv6 (without brackets).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let done = bytes.withUnsafeBufferPointer { address in
            inet_ntop(isIPv4 ? AF_INET : AF_INET6, address.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        return done ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }

    /// The IPv4 address an IPv6 address stands for, where it stands for one: IPv4-mapped
    /// (`::ffff:0:0/96`), the NAT64 well-known prefix (`64:ff9b::/96`) and 6to4 (`2002::/16`) reach
    /// that IPv4 address, so they are judged as it is.
    public var embeddedIPv4: IPAddress? {
        guard !isIPv4 else { return nil }
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        let nat64: [UInt8] = [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
        if Array(bytes[0..<12]) == mapped || Array(bytes[0..<12]) == nat64 { return IPAddress(bytes: Array(bytes[12..<16])) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }

    /// Where the address leads. An allow-list: only what is named unicast here is `global` or
    /// `privateNetwork`; IPv6 outside `2000::/3` and `fc00::/7` is `reserved` unless it stands for
    /// an IPv4 address (``embeddedIPv4``).
    public var kind: Kind {
        if let embedded = embeddedIPv4 { return embedded.kind }
        return isIPv4 ? Self.kind(ipv4: bytes) : Self.kind(ipv6: bytes)
    }

    private static func kind(ipv4 b: [UInt8]) -> Kind {
        switch (b[0], b[1]) {
        case (0, _): return .unspecified
        case (127, _): return .loopback
        case (169, 254): return .linkLocal
        case (224...239, _): return .multicast
        case (240...255, _): return .reserved
        case (10, _), (172, 16...31), (192, 168), (100, 64...127): return .privateNetwork
        default: return .global
        }
    }

    private static func kind(ipv6 b: [UInt8]) -> Kind {
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        switch (b[0], b[1]) {
        case (0xFE, 0x80...0xBF): return .linkLocal
        case (0xFF, _): return .multicast
        case (0xFC...0xFD, _): return .privateNetwork
        case (0x20, 0x01) where b[2] == 0x00 && b[3] == 0x00: return .reserved  // Teredo
        case (0x20, 0x01) where b[2] == 0x0D && b[3] == 0xB8: return .reserved  // documentation
        case (0x20...0x3F, _): return .global
        default: return .reserved
        }
    }
}
