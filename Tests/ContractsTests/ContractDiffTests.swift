import Contracts
import Foundation
import JSONSchema
import Testing

/// `x-exchange` of the certificates contract the diff tests edit.
private let certificatesExchange = """
      provider: moj
      service: certificates
      version: 1
      consumers: [mol, rop]
      timeout: 5s
    """

/// `POST /certificates`, taking a request body.
private let issuePath = """
      /certificates:
        post:
          operationId: issueCertificate
          requestBody:
            required: true
            content:
              application/json:
                schema: {$ref: '#/components/schemas/CertificateRequest'}
          responses:
            '201': {description: Issued.}
            '404': {description: No such person.}
    """

/// `GET /certificates/{id}`, with a path parameter.
private let lookupPath = """
      /certificates/{id}:
        get:
          operationId: getCertificate
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
          responses:
            '200': {description: The certificate.}
    """

private let certificatesPaths = issuePath + "\n" + lookupPath

/// The request schema's lines, without indentation.
private let requestSchema = [
    "type: object",
    "required: [nationalId, purpose]",
    "properties:",
    "  nationalId: {type: string, maxLength: 10}",
    "  purpose: {type: string, maximum: 1}",
    "  motherName: {type: string}",
]

/// `lines` indented by `spaces`, one a line.
private func indented(_ lines: [String], by spaces: Int) -> String {
    lines.map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
}

private let certificatesComponents = "  schemas:\n    CertificateRequest:\n" + indented(requestSchema, by: 6)

/// The certificates contract as YAML, each part replaceable.
private func certificatesText(exchange: String = certificatesExchange, paths: String = certificatesPaths,
                              components: String = certificatesComponents) -> String {
    contractText(exchange: exchange, paths: paths, components: components)
}

/// `text` with `target` replaced; fails the test when `target` is not there (an edit that
/// silently did nothing would make a diff test pass for the wrong reason).
private func edit(_ text: String, _ target: String, _ replacement: String,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(text.contains(target), "fixture lacks '\(target)'", sourceLocation: sourceLocation)
    return text.replacing(target, with: replacement)
}

/// The diff from the certificates contract to `newText`.
private func diffFromCertificates(to newText: String) throws -> ContractDiff {
    ContractDiff(from: try Contract(parsing: certificatesText()), to: try Contract(parsing: newText))
}

@Suite struct ContractDiffTests {
    @Test func identicalContractsHaveAnEmptyDiff() throws {
        let diff = try diffFromCertificates(to: certificatesText())
        #expect(diff.isEmpty)
        #expect(diff.from == "moj/certificates/v1")
        #expect(diff.to == "moj/certificates/v1")
        #expect(diff.exchange.isEmpty && diff.operations.isEmpty && diff.changes.isEmpty && diff.breaking.isEmpty)
        #expect(diff.summary == "moj/certificates/v1 → moj/certificates/v1: no changes")

        let sample = try sampleContract("moj/criminal-record-certificate.v1.yaml")
        #expect(ContractDiff(from: sample, to: sample).isEmpty)
    }

    @Test func addedOperationIsListedWithItsEscapedPointer() throws {
        let renew = """

              /certificates/{id}/renew:
                post:
                  operationId: renewCertificate
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string}}
                  responses:
                    '201': {description: Renewed.}
            """
        let diff = try diffFromCertificates(to: certificatesText(paths: certificatesPaths + renew))
        #expect(diff.operations == [
            ContractDiff.OperationChange(kind: .added, name: "POST /certificates/{id}/renew", operationId: "renewCertificate"),
        ])
        #expect(diff.changes.map(\.pointer) == ["/paths/~1certificates~1{id}~1renew"])
        #expect(diff.changes.first?.kind == .added)
        #expect(diff.changes.first?.old == nil)
        #expect(diff.changes.first?.new?.hasPrefix(#"{"post":{"operationId":"renewCertificate""#) == true)
        #expect(diff.breaking.isEmpty)
        #expect(diff.summary.contains("\n  + POST /certificates/{id}/renew (renewCertificate)\n"))
    }

    @Test func removedOperationIsBreaking() throws {
        let diff = try diffFromCertificates(to: certificatesText(paths: issuePath))
        #expect(diff.operations == [
            ContractDiff.OperationChange(kind: .removed, name: "GET /certificates/{id}", operationId: "getCertificate"),
        ])
        #expect(diff.breaking == ["operation removed: GET /certificates/{id} (getCertificate)"])
        #expect(diff.changes.map(\.pointer) == ["/paths/~1certificates~1{id}"])
        #expect(diff.changes.first?.kind == .removed)
        #expect(diff.summary.contains("  - GET /certificates/{id} (getCertificate)"))
        #expect(diff.summary.contains("  ! operation removed: GET /certificates/{id} (getCertificate)"))
    }

    @Test func changedSharedSchemaChangesTheOperationsRequestBodySchema() throws {
        let components = try edit(certificatesComponents, "maxLength: 10", "maxLength: 12")
        let diff = try diffFromCertificates(to: certificatesText(components: components))
        #expect(diff.operations == [
            ContractDiff.OperationChange(kind: .changed, name: "POST /certificates", operationId: "issueCertificate",
                                         parts: [.requestBodySchema]),
        ])
        #expect(diff.changes == [
            ContractDiff.Change(pointer: "/components/schemas/CertificateRequest/properties/nationalId/maxLength",
                                kind: .changed, old: "10", new: "12"),
        ])
        #expect(diff.breaking.isEmpty)
        #expect(diff.summary.contains("  ~ POST /certificates: request body schema changed\n"))
    }

    @Test func changedOperationNamesItsParametersAndResponses() throws {
        var paths = try edit(certificatesPaths, "'404': {description: No such person.}", "'409': {description: Already issued.}")
        paths = try edit(paths, "'201': {description: Issued.}", "'201': {description: Issued now.}")
        paths = try edit(paths, "- {name: id, in: path, required: true, schema: {type: string}}",
                         "- {name: id, in: path, required: true, schema: {type: string}}\n"
                             + "        - {name: lang, in: query, schema: {type: string}}")
        paths = try edit(paths, "required: true\n", "required: false\n")
        let diff = try diffFromCertificates(to: certificatesText(paths: paths))
        #expect(diff.operations == [
            ContractDiff.OperationChange(kind: .changed, name: "POST /certificates", operationId: "issueCertificate",
                                         parts: [.requestBody, .responses],
                                         responses: ContractDiff.NamedChanges(added: ["409"], removed: ["404"], changed: ["201"])),
            ContractDiff.OperationChange(kind: .changed, name: "GET /certificates/{id}", operationId: "getCertificate",
                                         parts: [.parameters], parameters: ContractDiff.NamedChanges(added: ["query lang"])),
        ])
        #expect(diff.breaking == ["POST /certificates: response 404 removed"])
        #expect(diff.summary.contains("  ~ POST /certificates: request body changed; responses changed (+409, -404, ~201)\n"))
        #expect(diff.summary.contains("  ~ GET /certificates/{id}: parameters changed (+query lang)\n"))
    }

    @Test func removedConsumerIsBreakingAndSettingsShowOldAndNew() throws {
        var exchange = try edit(certificatesExchange, "[mol, rop]", "[mol, moi]")
        exchange = try edit(exchange, "timeout: 5s", "timeout: 1m30s\n  audit: {body: none}")
        let diff = try diffFromCertificates(to: certificatesText(exchange: exchange))
        #expect(diff.exchange == [
            ContractDiff.SettingChange(setting: "consumers", old: "rop", new: nil),
            ContractDiff.SettingChange(setting: "consumers", old: nil, new: "moi"),
            ContractDiff.SettingChange(setting: "timeout", old: "5s", new: "1m30s"),
            ContractDiff.SettingChange(setting: "audit.body", old: "digest", new: "none"),
        ])
        #expect(diff.exchange.map(\.kind) == [.removed, .added, .changed, .changed])
        #expect(diff.breaking == ["consumer removed: rop"])
        #expect(diff.operations.isEmpty)
        let summary = diff.summary
        #expect(summary.contains("\n  - consumers: rop\n  + consumers: moi\n  ~ timeout: 5s → 1m30s\n"))
        #expect(summary.contains("\n  ! consumer removed: rop\n"))
    }

    @Test func reorderedConsumersAreNoSettingChange() throws {
        let exchange = try edit(certificatesExchange, "[mol, rop]", "[rop, mol]")
        let diff = try diffFromCertificates(to: certificatesText(exchange: exchange))
        #expect(diff.exchange.isEmpty)
        #expect(diff.breaking.isEmpty)
        // The document itself did change: arrays compare by index.
        #expect(diff.changes.map(\.pointer) == ["/x-exchange/consumers/0", "/x-exchange/consumers/1"])
    }

    @Test func newlyRequiredRequestPropertyIsBreaking() throws {
        let components = try edit(certificatesComponents, "[nationalId, purpose]", "[nationalId, purpose, motherName]")
        let diff = try diffFromCertificates(to: certificatesText(components: components))
        #expect(diff.breaking == [
            "POST /certificates: request property 'motherName' is newly required (/components/schemas/CertificateRequest/required)",
        ])
        #expect(diff.changes == [
            ContractDiff.Change(pointer: "/components/schemas/CertificateRequest/required/2", kind: .added,
                                old: nil, new: #""motherName""#),
        ])
        #expect(diff.operations.map(\.parts) == [[.requestBodySchema]])
    }

    @Test func droppingARequirementIsNotBreaking() throws {
        let components = try edit(certificatesComponents, "[nationalId, purpose]", "[nationalId]")
        let diff = try diffFromCertificates(to: certificatesText(components: components))
        #expect(diff.breaking.isEmpty)
        #expect(diff.changes.map(\.kind) == [.removed])
    }

    @Test func newlyRequiredIsFoundThroughRefsAllOfAndRecursion() throws {
        let before = """
              schemas:
                CertificateRequest:
                  allOf:
                    - {$ref: '#/components/schemas/Node'}
                    - {required: [nationalId]}
                Node:
                  type: object
                  properties:
                    nationalId: {type: string}
                    children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            """
        let after = try edit(before, "items: {$ref: '#/components/schemas/Node'}}",
                             "items: {$ref: '#/components/schemas/Node'}}\n      required: [label]")
        let old = try Contract(parsing: certificatesText(components: before))
        let new = try Contract(parsing: certificatesText(components: after))
        let diff = ContractDiff(from: old, to: new)
        // Node is both the request and each child, so the one new name is reported once.
        #expect(diff.breaking == [
            "POST /certificates: request property 'label' is newly required (/components/schemas/Node/required)",
        ])
        #expect(ContractDiff(from: new, to: old).breaking.isEmpty)
    }

    @Test func memberOrderIsNoChange() throws {
        let reordered = """
              schemas:
                CertificateRequest:
                  properties:
                    motherName: {type: string}
                    purpose: {maximum: 1, type: string}
                    nationalId: {maxLength: 10, type: string}
                  required: [nationalId, purpose]
                  type: object
            """
        let diff = try diffFromCertificates(to: certificatesText(components: reordered))
        #expect(diff.isEmpty)
        #expect(diff.operations.isEmpty)
    }

    @Test func numbersCompareByValue() throws {
        let same = try edit(certificatesComponents, "maximum: 1}", "maximum: 1.0}")
        #expect(try diffFromCertificates(to: certificatesText(components: same)).isEmpty)

        let other = try edit(certificatesComponents, "maximum: 1}", "maximum: 1.5}")
        let diff = try diffFromCertificates(to: certificatesText(components: other))
        #expect(diff.changes == [
            ContractDiff.Change(pointer: "/components/schemas/CertificateRequest/properties/purpose/maximum",
                                kind: .changed, old: "1", new: "1.5"),
        ])
    }

    @Test func pointersEscapeTildeAndSlash() throws {
        let components = try edit(certificatesComponents, "motherName: {type: string}",
                                  "motherName: {type: string}\n        'a~b/c': {type: string}")
        let diff = try diffFromCertificates(to: certificatesText(components: components))
        #expect(diff.changes.map(\.pointer) == ["/components/schemas/CertificateRequest/properties/a~0b~1c"])
        #expect(diff.changes.first?.new == #"{"type":"string"}"#)
    }

    @Test func longValuesAreCutTo120Characters() throws {
        let long = String(repeating: "x", count: 300)
        let components = try edit(certificatesComponents, "motherName: {type: string}",
                                  "motherName: {type: string, description: '\(long)'}")
        let diff = try diffFromCertificates(to: certificatesText(components: components))
        let change = try #require(diff.changes.first)
        #expect(change.pointer == "/components/schemas/CertificateRequest/properties/motherName/description")
        let text = try #require(change.new)
        #expect(ContractDiff.Change.excerptLimit == 120)
        #expect(text.count == 120)
        #expect(text == "\"" + String(repeating: "x", count: 118) + "…")
    }

    @Test func inliningAReferencedSchemaIsNoOperationChange() throws {
        let paths = try edit(certificatesPaths, "schema: {$ref: '#/components/schemas/CertificateRequest'}",
                             "schema:\n" + indented(requestSchema, by: 14))
        let diff = try diffFromCertificates(to: certificatesText(paths: paths))
        #expect(!diff.isEmpty)
        #expect(diff.operations.isEmpty)
        #expect(diff.breaking.isEmpty)
    }

    @Test func versionFieldsAreListedLikeAnyOther() throws {
        let exchange = try edit(certificatesExchange, "version: 1", "version: 2")
        let text = try edit(certificatesText(exchange: exchange), "version: 1.0.0", "version: 2.0.0")
        let diff = try diffFromCertificates(to: text)
        #expect(diff.to == "moj/certificates/v2")
        #expect(diff.exchange == [ContractDiff.SettingChange(setting: "version", old: "1", new: "2")])
        #expect(diff.changes == [
            ContractDiff.Change(pointer: "/info/version", kind: .changed, old: #""1.0.0""#, new: #""2.0.0""#),
            ContractDiff.Change(pointer: "/x-exchange/version", kind: .changed, old: "1", new: "2"),
        ])
    }

    @Test func outputIsDeterministicAndInDocumentOrder() throws {
        var paths = try edit(certificatesPaths, "operationId: getCertificate", "operationId: fetchCertificate")
        paths = try edit(paths, "'404': {description: No such person.}", "'404': {description: Nobody.}")
        let components = try edit(certificatesComponents, "motherName: {type: string}", "")
        let exchange = try edit(certificatesExchange, "timeout: 5s", "timeout: 6s")
        let old = try Contract(parsing: certificatesText())
        let new = try Contract(parsing: certificatesText(exchange: exchange, paths: paths, components: components))
        let first = ContractDiff(from: old, to: new)
        let again = ContractDiff(from: try Contract(parsing: certificatesText()),
                                 to: try Contract(parsing: certificatesText(exchange: exchange, paths: paths, components: components)))
        #expect(first == again)
        #expect(first.summary == again.summary)
        #expect(first.changes.map(\.pointer) == [
            "/x-exchange/timeout",
            "/paths/~1certificates/post/responses/404/description",
            "/paths/~1certificates~1{id}/get/operationId",
            "/components/schemas/CertificateRequest/properties/motherName",
        ])
        #expect(first.operations.map(\.name) == ["POST /certificates", "GET /certificates/{id}"])
        #expect(first.operations.map(\.parts) == [[.requestBodySchema, .responses], [.other]])
        #expect(first.operations.last?.operationId == "fetchCertificate")
    }

    @Test func sharedResponseChangeReachesEveryOperationUsingIt() throws {
        let path = contractsFolder + "/moj/criminal-record-certificate.v1.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = try edit(text, "description: The certificate service failed.", "description: The service failed.")
        let diff = ContractDiff(from: try Contract(parsing: text), to: try Contract(parsing: edited))
        #expect(diff.summary == """
            moj/criminal-record-certificate/v1 → moj/criminal-record-certificate/v1
            operations:
              ~ POST /certificates: responses changed (~5XX)
              ~ GET /certificates/{certificateNumber}: responses changed (~default)
            changes (1):
              ~ /components/responses/ServiceError/description: "The certificate service failed." → "The service failed."
            """)
        #expect(diff.description == diff.summary)
    }

    @Test func jsonUsesTheDocumentedFieldNames() throws {
        let exchange = try edit(certificatesExchange, "[mol, rop]", "[mol]")
        let diff = try diffFromCertificates(to: certificatesText(exchange: exchange))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(diff), as: UTF8.self)
        #expect(json == #"{"breaking":["consumer removed: rop"],"changes":[{"kind":"removed","old":"\"rop\"","pointer":"/x-exchange/consumers/1"}],"exchange":[{"kind":"removed","old":"rop","setting":"consumers"}],"from":"moj/certificates/v1","operations":[],"to":"moj/certificates/v1"}"#)
        #expect(try JSONDecoder().decode(ContractDiff.self, from: Data(json.utf8)) == diff)

        let operation = ContractDiff.OperationChange(kind: .changed, name: "GET /x", operationId: nil,
                                                     parts: [.requestBodySchema, .responses],
                                                     responses: ContractDiff.NamedChanges(removed: ["404"]))
        #expect(String(decoding: try encoder.encode(operation), as: UTF8.self)
            == #"{"kind":"changed","name":"GET /x","parts":["requestBodySchema","responses"],"responses":{"added":[],"changed":[],"removed":["404"]}}"#)
    }
}
