import Foundation
import Testing

/// `rabt schema validate` as an integrator runs it: files in, listed failures and exit codes out.
@Suite struct SchemaCommandTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-schema-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/shared", withIntermediateDirectories: true)
        let files = [
            "person.yaml": """
                type: object
                required: [nationalId, birthDate]
                properties:
                  nationalId: {type: string, pattern: '^[0-9]{8}$'}
                  birthDate: {type: string, format: date}
                  address: {$ref: 'https://schemas.example.gov/address.json'}
                """,
            "shared/address.json": #"{"type": "object", "required": ["city"]}"#,
            "ok.json": #"{"nationalId": "12345678", "birthDate": "1990-02-01", "address": {"city": "Nizwa"}}"#,
            "bad.json": #"{"nationalId": "12AB", "birthDate": "1990-02-30"}"#,
            "broken.json": #"{"nationalId": "#,
            "invalid-schema.json": #"{"type": "objekt"}"#,
            "code.yaml": """
                type: object
                properties:
                  code: {type: string, pattern: '^(?=.*[0-9])[A-Z0-9]{6}$'}
                  name: {type: string, pattern: '^([a-z]+ ?)*$'}
                """,
            "code.json": #"{"code": "AB12CD", "name": "civil registry"}"#,
        ]
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
    }

    func validate(_ arguments: [String]) async throws -> RabtExecutable.Run {
        try await RabtExecutable.run(["schema", "validate"] + arguments, in: folder)
    }

    let resource = ["--resource", "https://schemas.example.gov/=shared"]

    @Test func allValidExitsZero() async throws {
        let run = try await validate(["--schema", "person.yaml"] + resource + ["ok.json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("valid    ok.json"))
    }

    @Test func anyInvalidExitsOneAndListsEachFailure() async throws {
        let run = try await validate(["--schema", "person.yaml", "--format-assertion"] + resource + ["ok.json", "bad.json", "broken.json"])
        #expect(run.status == 1)
        #expect(run.standardOutput.contains("invalid  bad.json  (2 errors)"))
        #expect(run.standardOutput.contains("/nationalId  pattern:"))
        #expect(run.standardOutput.contains("/birthDate  format:"))
        #expect(run.standardOutput.contains("invalid  broken.json\n  not a JSON document"))
    }

    @Test func jsonOutputUsesTheBasicOutputFields() async throws {
        let run = try await validate(["--schema", "person.yaml", "--output", "json"] + resource + ["bad.json"])
        #expect(run.status == 1)
        let summary = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["valid"] as? Bool == false)
        let instance = (summary?["instances"] as? [[String: Any]])?.first
        let error = (instance?["errors"] as? [[String: Any]])?.first
        #expect(error?["instanceLocation"] as? String == "/nationalId")
        #expect(error?["keywordLocation"] as? String == "/properties/nationalId/pattern")
        #expect((error?["absoluteKeywordLocation"] as? String)?.hasSuffix("person.yaml#/properties/nationalId/pattern") == true)
        #expect(error?["keyword"] as? String == "pattern")
    }

    /// A pattern a contract would refuse is a warning naming its location, line and reason;
    /// the instances are still checked (the regular one that stalled ICU included).
    @Test func backtrackingPatternIsAWarning() async throws {
        let run = try await validate(["--schema", "code.yaml", "code.json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("valid    code.json"))
        #expect(run.standardError.contains("warning: code.yaml: /properties/code/pattern (3:33): the pattern needs a backtracking engine because it uses a lookahead"))
        #expect(run.standardError.contains("a contract holding it is refused"))
        #expect(!run.standardError.contains("/properties/name/pattern"))
    }

    @Test func invalidSchemaOrUsageExitsTwo() async throws {
        let invalid = try await validate(["--schema", "invalid-schema.json", "ok.json"])
        #expect(invalid.status == 2)
        #expect(invalid.standardError.contains("invalid-schema.json: the schema is invalid"))
        #expect(invalid.standardError.contains("/type"))

        let unresolved = try await validate(["--schema", "person.yaml", "ok.json"])
        #expect(unresolved.status == 2)
        #expect(unresolved.standardError.contains("cannot resolve reference https://schemas.example.gov/address.json"))

        let missing = try await validate(["--schema", "person.yaml"] + resource + ["missing.json"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("missing.json: cannot read the file: no such file"))

        let noInstance = try await validate(["--schema", "person.yaml"])
        #expect(noInstance.status == 2)
        let badResource = try await validate(["--schema", "person.yaml", "--resource", "shared", "ok.json"])
        #expect(badResource.status == 2)
        #expect(badResource.standardError.contains("is not URI-PREFIX=DIR"))
    }
}
