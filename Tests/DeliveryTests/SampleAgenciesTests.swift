import Agencies
import FieldLines
import HTTPTypes
import Delivery
import Foundation
import Signing
import Testing

@Suite("Sample agencies")
struct SampleAgenciesTests {
    /// 2026-11-26T08:00:00Z.
    static let issuingTime = Date(timeIntervalSince1970: 1_795_680_000)

    func withAgencies(_ body: (CurlTransport, String) async throws -> Void) async throws {
        let server = ProviderServer(
            name: "agencies",
            routes: JusticeMinistry.routes(basePath: "/crc/v1", now: { Self.issuingTime })
                + TrafficDepartment.routes(basePath: "/traffic/v1")
                + SocialProtectionFund.routes(basePath: "/contributions/v1"),
            tls: nil, logger: testLogger
        )
        _ = try await server.start()
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        let base = try #require(server.baseURL)
        do {
            try await body(transport, base)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func json(_ response: InboundResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test("the justice ministry issues a certificate and finds it again")
    func certificate() async throws {
        try await withAgencies { transport, base in
            let request = #"{"applicant":{"nationalId":"9861034521","fullName":{"first":"Layla","father":"Omar","grandfather":"Khalil","family":"Haddad"},"dateOfBirth":"1986-04-17"},"purpose":"work-permit","caseReference":"MOL-2026-118204"}"#
            let issued = try await transport.send(OutboundRequest(
                method: "POST", url: base + "/crc/v1/certificates",
                headers: HTTPFields([("Content-Type", "application/json")]), body: Array(request.utf8)
            ))
            #expect(issued.status == 201)
            let certificate = try json(issued)
            #expect(certificate["certificateNumber"] as? String == "CRC-2026-0004217")
            #expect(certificate["status"] as? String == "clear")
            #expect(certificate["recordCount"] as? Int == 0)
            #expect(certificate["issuedAt"] as? String == "2026-11-26T08:00:00Z")
            #expect(certificate["validUntil"] as? String == "2027-02-24")
            #expect(issued.headers.values(named: "location").first == "/crc/v1/certificates/CRC-2026-0004217")

            let found = try await transport.send(OutboundRequest(method: "GET", url: base + "/crc/v1/certificates/CRC-2026-0004217"))
            #expect(found.status == 200)
            let missing = try await transport.send(OutboundRequest(method: "GET", url: base + "/crc/v1/certificates/CRC-2026-0000001"))
            #expect(missing.status == 404)
            #expect(missing.headers.values(named: "content-type").first == "application/problem+json")

            let mismatch = request.replacingOccurrences(of: "1986-04-17", with: "1986-04-18")
            let rejected = try await transport.send(OutboundRequest(method: "POST", url: base + "/crc/v1/certificates", body: Array(mismatch.utf8)))
            #expect(rejected.status == 422)
        }
    }

    @Test("the traffic department lists violations with filters and totals")
    func violations() async throws {
        try await withAgencies { transport, base in
            let all = try json(try await transport.send(OutboundRequest(method: "GET", url: base + "/traffic/v1/violations/9751122334")))
            let totals = try #require(all["totals"] as? [String: Any])
            #expect(totals["count"] as? Int == 2)
            #expect((totals["unpaid"] as? [String: Any])?["value"] as? Double == 100)
            let unpaid = try json(try await transport.send(OutboundRequest(method: "GET", url: base + "/traffic/v1/violations/9861034521?status=unpaid")))
            let violations = try #require(unpaid["violations"] as? [[String: Any]])
            #expect(violations.map { $0["violationNumber"] as? String } == ["TV2026004711"])
            let unknown = try await transport.send(OutboundRequest(method: "GET", url: base + "/traffic/v1/violations/1111111111"))
            #expect(unknown.status == 404)
        }
    }

    @Test("the social protection fund answers a contribution record, legacy shape included")
    func contributions() async throws {
        try await withAgencies { transport, base in
            let record = try json(try await transport.send(OutboundRequest(method: "GET", url: base + "/contributions/v1/contributors/9861034521/contributions?year=2025")))
            #expect(record["currency"] as? String == "JOD")
            let contributions = try #require(record["contributions"] as? [[String: Any]])
            #expect(contributions.count == 12)
            #expect(contributions[0]["employeeShare"] as? Double == 63.75)
            #expect(contributions[2]["late"] as? Bool == true)
            let legacy = try json(try await transport.send(OutboundRequest(method: "GET", url: base + "/contributions/v1/contributors/9920417788/contributions?year=2025")))
            let legacyContributions = try #require(legacy["contributions"] as? [[String: Any]])
            #expect(legacyContributions[0]["late"] as? String == "N")
            let noYear = try await transport.send(OutboundRequest(method: "GET", url: base + "/contributions/v1/contributors/9861034521/contributions"))
            #expect(noYear.status == 400)
        }
    }
}
