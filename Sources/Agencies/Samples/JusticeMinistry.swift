import Foundation
import HTTPTypes
import Synchronization

/// The Ministry of Justice's criminal-record-certificate service (contract
/// `moj/criminal-record-certificate.v1`): issues non-conviction certificates and looks them up.
public enum JusticeMinistry {
    struct CertificateRequest: Decodable {
        struct Applicant: Decodable {
            var nationalId: String
            var fullName: PersonName
            var dateOfBirth: String
        }
        var applicant: Applicant
        var purpose: String
        var caseReference: String
    }

    struct Certificate: Codable, Sendable {
        struct Subject: Codable, Sendable {
            var nationalId: String
            var fullName: PersonName
        }
        var certificateNumber: String
        var status: String
        var recordCount: Int
        var subject: Subject
        var purpose: String
        var issuedAt: String
        var validUntil: String
        var issuingCourt: String
        var verificationUrl: String
    }

    /// Routes `POST {basePath}/certificates` and `GET {basePath}/certificates/{certificateNumber}`.
    /// - Parameter now: the issuing time (injected so demos and tests are repeatable).
    public static func routes(basePath: String = "", now: @escaping @Sendable () -> Date = { Date() }) -> [ProviderRoute] {
        let issued = Mutex<[String: Certificate]>([:])
        return [
            ProviderRoute("POST", "/certificates".under(basePath)) { request in
                guard let body = try? JSONDecoder().decode(CertificateRequest.self, from: Data(request.body)) else {
                    return .problem(400, title: "Malformed certificate request")
                }
                let applicant = body.applicant
                guard let person = CivilRegistry.person(applicant.nationalId) else {
                    return .problem(404, title: "Unknown national number", detail: "No person with this national number in the civil registry.")
                }
                guard person.name.first == applicant.fullName.first, person.name.family == applicant.fullName.family,
                      person.dateOfBirth == applicant.dateOfBirth
                else {
                    return .problem(422, title: "Identity mismatch", detail: "Name or date of birth differs from the civil registry.")
                }
                let date = now()
                let certificate = issued.withLock { book in
                    let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).year ?? 2026
                    let number = "CRC-\(year)-\(String(format: "%07d", 4217 + book.count))"
                    let certificate = Certificate(
                        certificateNumber: number,
                        status: person.convictions == 0 ? "clear" : "has-records",
                        recordCount: person.convictions,
                        subject: .init(nationalId: person.nationalId, fullName: person.name),
                        purpose: body.purpose,
                        issuedAt: SampleDates.timestamp(date),
                        validUntil: SampleDates.day(date.addingTimeInterval(90 * 86_400)),
                        issuingCourt: "Amman Court of First Instance",
                        verificationUrl: "https://services.moj.example.gov/verify/\(number)"
                    )
                    book[number] = certificate
                    return certificate
                }
                let location = "/certificates/\(certificate.certificateNumber)".under(basePath)
                return .json(201, certificate, headers: [.location: location])
            },
            ProviderRoute("GET", "/certificates/{certificateNumber}".under(basePath)) { request in
                let number = request.parameters["certificateNumber"] ?? ""
                guard let certificate = issued.withLock({ $0[number] }) else {
                    return .problem(404, title: "Unknown certificate", detail: "No certificate with this number.")
                }
                return .json(200, certificate)
            },
        ]
    }
}

/// Date formats of the sample contracts.
enum SampleDates {
    /// RFC 3339 date-time in UTC, e.g. `2026-11-26T08:00:00Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// RFC 3339 full-date in UTC, e.g. `2027-02-24`.
    static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }
}
