/// The fictional people the sample agencies know, shared so their answers agree with each other.
struct Person: Sendable {
    var nationalId: String
    var name: PersonName
    var dateOfBirth: String
    var convictions: Int
}

/// Four-part name as the civil registry holds it.
struct PersonName: Codable, Sendable, Equatable {
    var first: String
    var father: String?
    var grandfather: String?
    var family: String
}

enum CivilRegistry {
    /// Layla: clean record, two traffic violations, insured with two employers.
    static let layla = Person(
        nationalId: "9861034521",
        name: PersonName(first: "Layla", father: "Omar", grandfather: "Khalil", family: "Haddad"),
        dateOfBirth: "1986-04-17", convictions: 0
    )
    /// Yousef: two recorded convictions, several unpaid violations, inactive contributor.
    static let yousef = Person(
        nationalId: "9751122334",
        name: PersonName(first: "Yousef", father: "Ibrahim", grandfather: "Saleh", family: "Nasser"),
        dateOfBirth: "1975-11-02", convictions: 2
    )
    /// Rania: clean record, no violations; her contribution record comes from the fund's legacy
    /// back end, which sends `late` as a string — the contract's `responseValidation: report` case.
    static let rania = Person(
        nationalId: "9920417788",
        name: PersonName(first: "Rania", father: "Tariq", grandfather: "Ahmad", family: "Khoury"),
        dateOfBirth: "1992-04-17", convictions: 0
    )

    static let people = [layla, yousef, rania]

    static func person(_ nationalId: String) -> Person? {
        people.first { $0.nationalId == nationalId }
    }
}

extension String {
    /// `base` + `self`, with `base` given without a trailing slash (e.g. `/crc/v1`).
    func under(_ base: String) -> String {
        base.hasSuffix("/") ? String(base.dropLast()) + self : base + self
    }
}
