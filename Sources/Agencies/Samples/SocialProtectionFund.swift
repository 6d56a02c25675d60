import Foundation

/// The Social Protection Fund's contribution record (contract `spf/contribution-record.v1`).
public enum SocialProtectionFund {
    struct Employer: Codable, Sendable { var number: String; var name: String; var sector: String }
    struct Contributor: Codable, Sendable {
        var nationalId: String
        var insured: Bool
        var status: String
        var insuredSince: String?
        var currentEmployer: Employer?
        var totalMonths: Int?
    }
    /// `late` is a string only in the legacy back end's records (see `CivilRegistry.rania`).
    enum Late: Codable, Sendable {
        case flag(Bool)
        case legacy(String)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .flag(let value): try container.encode(value)
            case .legacy(let value): try container.encode(value)
            }
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .flag(flag)
            } else {
                self = .legacy(try container.decode(String.self))
            }
        }
    }
    struct Contribution: Codable, Sendable {
        var employer: Employer
        var month: Int
        var insuredWage: Double
        var employeeShare: Double
        var employerShare: Double
        var paidOn: String?
        var late: Late
    }
    struct Totals: Codable, Sendable { var months: Int; var insuredWages: Double; var contributions: Double }
    struct ContributionRecord: Codable, Sendable {
        var nationalId: String
        var year: Int
        var currency: String
        var contributions: [Contribution]
        var totals: Totals
    }

    private static let pharmacy = Employer(number: "204117", name: "Al-Shifa Pharmaceuticals", sector: "private")
    private static let ministry = Employer(number: "100042", name: "Ministry of Education", sector: "public")
    private static let transport = Employer(number: "3180775", name: "Nasser Transport Co.", sector: "private")

    static let contributors: [String: (Contributor, Employer?, wage: Double, legacy: Bool)] = [
        CivilRegistry.layla.nationalId: (
            Contributor(nationalId: CivilRegistry.layla.nationalId, insured: true, status: "active", insuredSince: "2009-07-01", currentEmployer: pharmacy, totalMonths: 208),
            pharmacy, 850, false
        ),
        CivilRegistry.yousef.nationalId: (
            Contributor(nationalId: CivilRegistry.yousef.nationalId, insured: true, status: "inactive", insuredSince: "1998-02-01", currentEmployer: nil, totalMonths: 241),
            transport, 520, false
        ),
        CivilRegistry.rania.nationalId: (
            Contributor(nationalId: CivilRegistry.rania.nationalId, insured: true, status: "active", insuredSince: "2015-09-01", currentEmployer: ministry, totalMonths: 134),
            ministry, 610, true
        ),
    ]

    /// Routes `GET {basePath}/contributors/{nationalId}` and
    /// `GET {basePath}/contributors/{nationalId}/contributions?year=YYYY[&employer=N]`.
    public static func routes(basePath: String = "") -> [ProviderRoute] {
        [
            ProviderRoute("GET", "/contributors/{nationalId}".under(basePath)) { request in
                guard let entry = contributors[request.parameters["nationalId"] ?? ""] else {
                    return .problem(404, title: "Not insured", detail: "The person has never been insured with the fund.")
                }
                return .json(200, entry.0)
            },
            ProviderRoute("GET", "/contributors/{nationalId}/contributions".under(basePath)) { request in
                let nationalId = request.parameters["nationalId"] ?? ""
                guard let year = request.queryValue("year").flatMap(Int.init), (1980...2100).contains(year) else {
                    return .problem(400, title: "A year between 1980 and 2100 is required")
                }
                guard let entry = contributors[nationalId] else {
                    return .problem(404, title: "Not insured", detail: "The person has never been insured with the fund.")
                }
                var contributions: [Contribution] = []
                if let employer = entry.1, request.queryValue("employer").map({ $0 == employer.number }) ?? true {
                    // An inactive contributor's payments stop in June.
                    let months = entry.0.status == "inactive" ? 1...6 : 1...12
                    contributions = months.map { month in
                        Contribution(
                            employer: employer, month: month, insuredWage: entry.wage,
                            employeeShare: (entry.wage * 0.075 * 1000).rounded() / 1000,
                            employerShare: (entry.wage * 0.1425 * 1000).rounded() / 1000,
                            paidOn: String(format: "%04d-%02d-15", month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1),
                            late: entry.legacy ? .legacy(month == 3 ? "Y" : "N") : .flag(month == 3)
                        )
                    }
                }
                let totalWages = contributions.reduce(0) { $0 + $1.insuredWage }
                let totalShares = contributions.reduce(0) { $0 + $1.employeeShare + $1.employerShare }
                return .json(200, ContributionRecord(
                    nationalId: nationalId, year: year, currency: "JOD", contributions: contributions,
                    totals: Totals(months: contributions.count, insuredWages: totalWages, contributions: (totalShares * 1000).rounded() / 1000)
                ))
            },
        ]
    }
}
