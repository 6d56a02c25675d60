import Foundation

/// The Traffic Department's violations inquiry (contract `rop/traffic-violations.v1`).
public enum TrafficDepartment {
    struct Money: Codable, Sendable { var value: Double; var currency: String }
    struct Plate: Codable, Sendable { var code: String; var number: String }
    struct Vehicle: Codable, Sendable { var plate: Plate; var category: String; var make: String?; var model: String?; var colour: String? }
    struct Offence: Codable, Sendable { var code: String; var description: String; var points: Int? }
    struct Location: Codable, Sendable { var governorate: String; var description: String }
    struct Violation: Codable, Sendable {
        var violationNumber: String
        var recordedAt: String
        var offence: Offence
        var vehicle: Vehicle
        var location: Location
        var camera: Bool
        var amount: Money
        var status: String
        var paid: Bool
        var paidAt: String?
        var dueDate: String?
    }
    struct Totals: Codable, Sendable { var count: Int; var unpaid: Money }
    struct Page: Codable, Sendable { var number: Int; var size: Int; var totalItems: Int }
    struct ViolationList: Codable, Sendable { var nationalId: String; var violations: [Violation]; var totals: Totals; var page: Page }

    private static let sedan = Vehicle(plate: Plate(code: "12", number: "45873"), category: "private", make: "Toyota", model: "Corolla", colour: "white")
    private static let van = Vehicle(plate: Plate(code: "20", number: "118305"), category: "commercial", make: "Hyundai", model: "H-1", colour: "silver")

    static let records: [String: [Violation]] = [
        CivilRegistry.layla.nationalId: [
            Violation(
                violationNumber: "TV2026004711", recordedAt: "2026-09-14T07:42:10Z",
                offence: Offence(code: "103", description: "Exceeding the speed limit by up to 20 km/h", points: 2),
                vehicle: sedan, location: Location(governorate: "amman", description: "Airport Road, near Madaba interchange"),
                camera: true, amount: Money(value: 20, currency: "JOD"), status: "unpaid", paid: false, paidAt: nil, dueDate: "2026-12-13"
            ),
            Violation(
                violationNumber: "TV2025018822", recordedAt: "2025-03-02T16:05:00Z",
                offence: Offence(code: "211", description: "Parking in a prohibited place", points: 0),
                vehicle: sedan, location: Location(governorate: "irbid", description: "University Street"),
                camera: false, amount: Money(value: 15, currency: "JOD"), status: "paid", paid: true, paidAt: "2025-03-20T09:12:44Z", dueDate: nil
            ),
        ],
        CivilRegistry.yousef.nationalId: [
            Violation(
                violationNumber: "TV2026009930", recordedAt: "2026-10-30T22:17:03Z",
                offence: Offence(code: "101", description: "Running a red light", points: 6),
                vehicle: van, location: Location(governorate: "zarqa", description: "Army Street, Al-Jaish junction"),
                camera: true, amount: Money(value: 100, currency: "JOD"), status: "unpaid", paid: false, paidAt: nil, dueDate: "2027-01-28"
            ),
            Violation(
                violationNumber: "TV2026003154", recordedAt: "2026-05-11T11:30:00Z",
                offence: Offence(code: "305", description: "Using a mobile phone while driving", points: 3),
                vehicle: van, location: Location(governorate: "amman", description: "Queen Rania Street"),
                camera: false, amount: Money(value: 50, currency: "JOD"), status: "contested", paid: false, paidAt: nil, dueDate: nil
            ),
        ],
        CivilRegistry.rania.nationalId: [],
    ]

    /// Routes `GET {basePath}/violations/{nationalId}` (filters `from`, `to`, `status`, paging) and
    /// `GET {basePath}/violations/{nationalId}/{violationNumber}`.
    public static func routes(basePath: String = "") -> [ProviderRoute] {
        [
            ProviderRoute("GET", "/violations/{nationalId}".under(basePath)) { request in
                let nationalId = request.parameters["nationalId"] ?? ""
                guard let all = records[nationalId] else {
                    return .problem(404, title: "Unknown national number")
                }
                let statuses = Set(request.queryValues("status"))
                let from = request.queryValue("from") ?? ""
                let to = request.queryValue("to") ?? "9999"
                let page = Int(request.queryValue("page") ?? "1") ?? 0
                let size = Int(request.queryValue("pageSize") ?? "50") ?? 0
                guard page >= 1, (1...100).contains(size) else {
                    return .problem(400, title: "Invalid paging")
                }
                let matching = all
                    .filter { statuses.isEmpty || statuses.contains($0.status) }
                    .filter { String($0.recordedAt.prefix(10)) >= from && String($0.recordedAt.prefix(10)) <= to }
                    .sorted { $0.recordedAt > $1.recordedAt }
                let unpaid = matching.filter { $0.status == "unpaid" }.reduce(0) { $0 + $1.amount.value }
                let pageItems = Array(matching.dropFirst((page - 1) * size).prefix(size))
                return .json(200, ViolationList(
                    nationalId: nationalId, violations: pageItems,
                    totals: Totals(count: matching.count, unpaid: Money(value: unpaid, currency: "JOD")),
                    page: Page(number: page, size: size, totalItems: matching.count)
                ))
            },
            ProviderRoute("GET", "/violations/{nationalId}/{violationNumber}".under(basePath)) { request in
                let number = request.parameters["violationNumber"]
                guard let violation = records[request.parameters["nationalId"] ?? ""]?.first(where: { $0.violationNumber == number }) else {
                    return .problem(404, title: "Unknown violation")
                }
                return .json(200, violation)
            },
        ]
    }
}
