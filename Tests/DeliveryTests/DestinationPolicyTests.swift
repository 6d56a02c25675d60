import Delivery
import Testing

@Suite("Where deliveries may connect")
struct DestinationPolicyTests {
    @Test("addresses are classified by an allow-list of kinds", arguments: [
        ("0.0.0.0", IPAddress.Kind.unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
        ("127.0.0.1", .loopback), ("127.8.9.1", .loopback), ("::1", .loopback), ("[::1]", .loopback),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("febf::1", .linkLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
        ("240.0.0.1", .reserved), ("255.255.255.255", .reserved), ("fec0::1", .reserved), ("::7f00:1", .reserved),
        ("2001:db8::1", .reserved), ("2001:0:4136:e378::1", .reserved), ("100::1", .reserved),
        ("10.1.2.3", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
        ("192.168.1.1", .privateNetwork), ("100.64.0.1", .privateNetwork), ("fd12:3456::1", .privateNetwork),
        ("172.32.0.1", .global), ("8.8.8.8", .global), ("100.128.0.1", .global), ("2a00:1450:4001::1", .global),
        // IPv6 forms that reach an IPv4 address are judged as that address.
        ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .linkLocal), ("64:ff9b::7f00:1", .loopback),
        ("2002:a9fe:a9fe::1", .linkLocal), ("::ffff:10.0.0.1", .privateNetwork),
    ])
    func kinds(literal: String, kind: IPAddress.Kind) throws {
        #expect(try #require(IPAddress(literal)).kind == kind)
    }

    @Test("only dotted-decimal IPv4 and IPv6 text are literals", arguments: [
        "127.1", "2130706433", "0x7f.0.0.1", "017.0.0.1", "localhost", "1.2.3.4.5", "[::1", "fe80::1%eth0", "",
    ])
    func notLiterals(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("addresses read back as canonical text")
    func text() throws {
        #expect(try #require(IPAddress("[2001:DB8:0:0:0:0:0:1]")).description == "2001:db8::1")
        #expect(try #require(IPAddress(bytes: [169, 254, 169, 254])).description == "169.254.169.254")
    }

    @Test("the verdict table: private networks and global unicast always; loopback and link-local only when allowed; never the node itself")
    func verdicts() throws {
        let own = try #require(IPAddress("10.0.0.5"))
        let strict = DestinationPolicy(ownPort: 8443, ownAddresses: [own])
        var relaxed = strict
        relaxed.allowsPrivate = true
        let cases: [(String, Int, DestinationPolicy.Verdict, DestinationPolicy.Verdict)] = [
            ("10.20.30.40", 9443, .allowed, .allowed),
            ("8.8.8.8", 443, .allowed, .allowed),
            ("127.0.0.1", 9443, .refused(.kind(.loopback)), .allowed),
            ("169.254.169.254", 80, .refused(.kind(.linkLocal)), .allowed),
            ("0.0.0.0", 9443, .refused(.kind(.unspecified)), .refused(.kind(.unspecified))),
            ("224.0.0.1", 9443, .refused(.kind(.multicast)), .refused(.kind(.multicast))),
            ("10.0.0.5", 8443, .refused(.ownListener), .refused(.ownListener)),
            ("::ffff:10.0.0.5", 8443, .refused(.ownListener), .refused(.ownListener)),
            ("10.0.0.5", 9443, .allowed, .allowed),
        ]
        for (literal, port, byDefault, allowingPrivate) in cases {
            let address = try #require(IPAddress(literal))
            #expect(strict.verdict(address: address, port: port) == byDefault, "\(literal) port \(port)")
            #expect(relaxed.verdict(address: address, port: port) == allowingPrivate, "\(literal) port \(port), private allowed")
        }
        #expect(DestinationPolicy.Refusal.kind(.loopback).isLiftedByAllowingPrivate)
        #expect(!DestinationPolicy.Refusal.ownListener.isLiftedByAllowingPrivate)
        #expect(DestinationPolicy.Refusal.kind(.linkLocal).description == "a link-local address")
    }

    @Test("a node listening on every address owns each of its host's addresses at its port")
    func listeningEverywhere() throws {
        let guarded = DestinationGuard(DestinationPolicy(allowsPrivate: true))
        guarded.listening(on: IPAddress("0.0.0.0"), port: 8443)
        let policy = guarded.policy
        #expect(policy.ownPort == 8443)
        for literal in ["127.0.0.1", "::1", "0.0.0.0"] {
            #expect(policy.verdict(address: try #require(IPAddress(literal)), port: 8443) == .refused(.ownListener), "\(literal)")
            #expect(policy.verdict(address: try #require(IPAddress(literal)), port: 9443) != .refused(.ownListener), "\(literal)")
        }
        guarded.listening(on: IPAddress("127.0.0.1"), port: 9000)
        #expect(guarded.policy.ownAddresses == [try #require(IPAddress("127.0.0.1"))])
    }
}
