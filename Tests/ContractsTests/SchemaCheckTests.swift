import Contracts
import Foundation
import JSONSchema
import Testing

/// A temporary folder of schema and payload files.
struct ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-schema-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` (sub-folders created) and returns the file's path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct SchemaCheckTests {
    static let person = """
        {"type": "object", "required": ["nationalId", "birthDate"], "additionalProperties": false,
         "properties": {"nationalId": {"type": "string", "pattern": "^[0-9]{8}$"},
                        "birthDate": {"type": "string", "format": "date"},
                        "address": {"$ref": "https://schemas.example.gov/address.json"}}}
        """

    func folderWithPerson() throws -> ScratchFolder {
        let folder = try ScratchFolder()
        try folder.write("person.json", Self.person)
        try folder.write("shared/address.json", #"{"type": "object", "required": ["city"]}"#)
        return folder
    }

    func resources(_ folder: ScratchFolder) -> [SchemaCheck.Resource] {
        [SchemaCheck.Resource(uriPrefix: "https://schemas.example.gov/", directory: folder.path + "/shared")]
    }

    @Test func validAndInvalidInstancesWithAResolvedResource() throws {
        let folder = try folderWithPerson()
        defer { folder.remove() }
        let check = try SchemaCheck(schemaFile: folder.path + "/person.json", resources: resources(folder), formatAssertion: true)
        let valid = try folder.write("ok.json", #"{"nationalId": "12345678", "birthDate": "1990-02-01", "address": {"city": "Sohar"}}"#)
        #expect(try check.check(instanceFile: valid).isValid)

        let invalid = try folder.write("bad.json", #"{"nationalId": "12AB", "birthDate": "1990-02-30", "address": {}}"#)
        guard case .invalid(let errors) = try check.check(instanceFile: invalid) else {
            Issue.record("expected the instance to be invalid")
            return
        }
        #expect(Set(errors.map(\.instanceLocation)) == ["/nationalId", "/birthDate", "/address"])
        let address = try #require(errors.first { $0.instanceLocation == "/address" })
        #expect(address.keywordLocation == "/properties/address/$ref/required")
        #expect(address.absoluteKeywordLocation == "https://schemas.example.gov/address.json#/required")
    }

    @Test func formatIsAnAnnotationUnlessAsserted() throws {
        let folder = try folderWithPerson()
        defer { folder.remove() }
        let instance = try folder.write("date.json", #"{"nationalId": "12345678", "birthDate": "1990-02-30"}"#)
        let annotating = try SchemaCheck(schemaFile: folder.path + "/person.json", resources: resources(folder))
        #expect(try annotating.check(instanceFile: instance).isValid)
        let asserting = try SchemaCheck(schemaFile: folder.path + "/person.json", resources: resources(folder), formatAssertion: true)
        #expect(!(try asserting.check(instanceFile: instance).isValid))
    }

    @Test func malformedInstanceIsReportedWithItsPosition() throws {
        let folder = try folderWithPerson()
        defer { folder.remove() }
        let check = try SchemaCheck(schemaFile: folder.path + "/person.json", resources: resources(folder))
        let broken = try folder.write("broken.json", "{\n  \"nationalId\": 12,\n  \"nationalId\": 13\n}")
        guard case .malformed(let error) = try check.check(instanceFile: broken) else {
            Issue.record("a duplicate key must make the payload malformed")
            return
        }
        #expect(error.code == .syntax)
        #expect(error.issues[0].line == 3)
        #expect(error.source == broken)
    }

    @Test func yamlInstancesAreRead() throws {
        let folder = try folderWithPerson()
        defer { folder.remove() }
        let check = try SchemaCheck(schemaFile: folder.path + "/person.json", resources: resources(folder))
        let instance = try folder.write("p.yaml", "nationalId: '12345678'\nbirthDate: '1990-02-01'\n")
        #expect(try check.check(instanceFile: instance).isValid)
    }

    @Test func unresolvedReferenceIsASchemaFault() throws {
        let folder = try folderWithPerson()
        defer { folder.remove() }
        let error = #expect(throws: ContractError.self) {
            _ = try SchemaCheck(schemaFile: folder.path + "/person.json")
        }
        #expect(error?.code == .schema)
        #expect(error?.location == "/properties/address/$ref")
    }

    @Test func schemaViolatingTheMetaschemaIsRefusedWithLines() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let file = try folder.write("s.yaml", "type: object\nproperties:\n  a:\n    type: strin\n  b:\n    minLength: -1\n")
        let error = #expect(throws: ContractError.self) {
            _ = try SchemaCheck(schemaFile: file)
        }
        let issues = error?.issues ?? []
        #expect(issues.contains { $0.location == "/properties/a/type" && $0.line == 4 })
        #expect(issues.contains { $0.location == "/properties/b/minLength" && $0.line == 6 })
        #expect(error?.source == file)
    }

    @Test func relativeReferencesResolveThroughAFileResource() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        try folder.write("defs/id.json", #"{"type": "string", "maxLength": 4}"#)
        let schema = try folder.write("main.json", #"{"properties": {"id": {"$ref": "defs/id.json"}}}"#)
        var base = URL(fileURLWithPath: folder.path).standardizedFileURL.absoluteString
        if !base.hasSuffix("/") { base += "/" }
        let check = try SchemaCheck(schemaFile: schema, resources: [.init(uriPrefix: base, directory: folder.path)])
        #expect(!(try check.check(instanceFile: folder.write("i.json", #"{"id": "too long"}"#)).isValid))
    }

    @Test func unreadableFilesSayWhy() throws {
        let folder = try ScratchFolder()
        defer { folder.remove() }
        let error = #expect(throws: ContractError.self) {
            _ = try SchemaCheck(schemaFile: folder.path + "/missing.json")
        }
        #expect(error?.code == .unreadable)
        #expect(error?.message == "cannot read the file: no such file")
        let schema = try folder.write("s.json", "{}")
        let folderError = #expect(throws: ContractError.self) {
            _ = try SchemaCheck(schemaFile: schema).check(instanceFile: folder.path)
        }
        #expect(folderError?.message == "cannot read the file: it is a folder, not a file")
    }

    @Test func resourceArgumentsAreParsed() {
        #expect(SchemaCheck.Resource(argument: "https://x.example/=dir/a=b") == .init(uriPrefix: "https://x.example/", directory: "dir/a=b"))
        #expect(SchemaCheck.Resource(argument: "nothing") == nil)
        #expect(SchemaCheck.Resource(argument: "=dir") == nil)
    }
}
