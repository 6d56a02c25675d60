import Contracts
import JSONSchema
import Testing

/// Realistic provider answers for the sample contracts: they must pass, so the samples stay usable.
@Suite struct SampleResponseTests {
    static let violationList = """
        {"nationalId": "9861034521",
         "violations": [
           {"violationNumber": "TV2026004711", "recordedAt": "2026-10-03T08:14:00+03:00",
            "offence": {"code": "112", "description": "Speeding 20-30 km/h over the limit", "points": 2},
            "vehicle": {"plate": {"code": "12", "number": "34567"}, "category": "private", "make": "Toyota", "model": "Corolla"},
            "location": {"governorate": "amman", "description": "Airport Road, km 14",
                         "coordinates": {"latitude": 31.8512, "longitude": 35.9286}},
            "camera": true, "amount": {"value": 30, "currency": "JOD"}, "status": "unpaid", "paid": false,
            "dueDate": "2026-11-02"},
           {"violationNumber": "TV2026001298", "recordedAt": "2026-03-21T17:40:00+03:00",
            "offence": {"code": "041", "description": "Parking in a no-stopping zone"},
            "vehicle": {"plate": {"code": "12", "number": "34567"}, "category": "private"},
            "location": {"governorate": "irbid", "description": "University Street"},
            "amount": {"value": 15.5, "currency": "JOD"}, "status": "paid", "paid": true,
            "paidAt": "2026-03-30T10:02:11+03:00"}
         ],
         "totals": {"count": 2, "unpaid": {"value": 30, "currency": "JOD"}},
         "page": {"number": 1, "size": 50, "totalItems": 2}}
        """

    static let contributionRecord = """
        {"nationalId": "9861034521", "year": 2026, "currency": "JOD",
         "contributions": [
           {"employer": {"number": "10045871", "name": "Al-Noor Logistics", "sector": "private"},
            "month": 1, "insuredWage": 650.000, "employeeShare": 48.750, "employerShare": 93.600, "paidOn": "2026-02-14"},
           {"employer": {"number": "10045871", "name": "Al-Noor Logistics", "sector": "private"},
            "month": 2, "insuredWage": 650.000, "employeeShare": 48.750, "employerShare": 93.600, "late": true}
         ],
         "totals": {"months": 2, "insuredWages": 1300.000, "contributions": 284.700}}
        """

    @Test func violationListPasses() throws {
        let rop = try sampleContract("rop/traffic-violations.v1.yaml")
        let operation = try #require(rop.operation(id: "listViolations"))
        #expect(operation.validateResponse(status: 200, contentType: "application/json", body: bytes(Self.violationList)) == [])
        let broken = Self.violationList.replacing("\"governorate\": \"irbid\"", with: "\"governorate\": \"gotham\"")
        #expect(summary(operation.validateResponse(status: 200, contentType: "application/json", body: bytes(broken)))
            == ["/body/violations/1/location/governorate enum"])
        let unpaidButDated = Self.violationList.replacing("\"paid\": true,", with: "")
        #expect(summary(operation.validateResponse(status: 200, contentType: "application/json", body: bytes(unpaidButDated)))
            .contains("/body/violations/1 required"))
    }

    @Test func contributionRecordPasses() throws {
        let spf = try sampleContract("spf/contribution-record.v1.yaml")
        let operation = try #require(spf.operation(id: "getContributionRecord"))
        #expect(operation.validateResponse(status: 200, contentType: "application/json", body: bytes(Self.contributionRecord)) == [])
        let badMonth = Self.contributionRecord.replacing("\"month\": 2", with: "\"month\": 13")
        #expect(summary(operation.validateResponse(status: 200, contentType: "application/json", body: bytes(badMonth)))
            == ["/body/contributions/1/month maximum"])
        #expect(summary(operation.validateResponse(status: 404, contentType: "application/problem+json",
                                                   body: bytes(#"{"title": "Not insured", "status": 404}"#))) == [])
    }

    @Test func contributorStatusPasses() throws {
        let spf = try sampleContract("spf/contribution-record.v1.yaml")
        let match = try #require(spf.match(method: "GET", path: "/contributors/9861034521"))
        #expect(match.operation.validateRequest(pathParameters: match.pathParameters, query: [], headers: [],
                                                contentType: nil, body: []) == [])
        let body = #"{"nationalId": "9861034521", "insured": true, "status": "active", "insuredSince": "2009-07-01", "totalMonths": 208}"#
        #expect(match.operation.validateResponse(status: 200, contentType: "application/json", body: bytes(body)) == [])
    }
}
