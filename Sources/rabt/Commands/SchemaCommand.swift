import ArgumentParser
import Contracts
import Foundation
import JSONSchema

/// `rabt schema`: JSON Schema tools for integrators.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Check payloads against JSON Schema draft 2020-12, offline.",
        subcommands: [Validate.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate JSON payload files against a schema, as the exchange will.",
            discussion: """
                The schema (JSON or YAML) is first checked against its metaschema, then compiled; \
                references to other documents resolve only through --resource (nothing is fetched \
                from the network). Each instance is a JSON file (or YAML, by its .yaml/.yml name).

                Examples:
                  rabt schema validate --schema person.schema.json payload.json
                  rabt schema validate --schema request.yaml --format-assertion --output json *.json
                  rabt schema validate --schema case.json \\
                      --resource https://schemas.example.gov/=shared-schemas/ case-*.json

                A pattern that only a backtracking engine can run (a lookahead, a backreference, …) \
                is reported as a warning on standard error: it is matched within a step budget \
                here (a match that exceeds it fails), and a contract holding it is refused.

                Exit codes: 0 every instance is valid, 1 an instance is invalid or not JSON \
                (each failure listed), 2 usage error, unreadable file or invalid schema.
                """
        )

        @Option(help: ArgumentHelp("The schema file (JSON or YAML).", valueName: "file"))
        var schema: String

        @Option(help: ArgumentHelp(
            "Register every JSON/YAML file under DIR as URI-PREFIX + its relative path (repeatable).",
            valueName: "uri-prefix=dir"))
        var resource: [String] = []

        @Flag(help: "Assert `format` (date, date-time, email, uuid, …) instead of treating it as an annotation, as contracts do.")
        var formatAssertion = false

        @Option(help: "Output: table for people, json for scripts.")
        var output: OutputFormat = .table

        @Argument(help: ArgumentHelp("Payload files to validate.", valueName: "instance"))
        var instances: [String]

        func validate() throws {
            guard !instances.isEmpty else { throw ArgumentParser.ValidationError("Give at least one instance file to validate.") }
            for argument in resource where SchemaCheck.Resource(argument: argument) == nil {
                throw ArgumentParser.ValidationError("--resource '\(argument)' is not URI-PREFIX=DIR.")
            }
        }

        func run() throws {
            let check: SchemaCheck
            do {
                check = try SchemaCheck(schemaFile: schema, resources: resource.compactMap(SchemaCheck.Resource.init(argument:)),
                                        formatAssertion: formatAssertion)
            } catch {
                if error.code == .unreadable { Self.unreadable(error) }
                let lines = ["\(schema): the schema is invalid (\(error.issues.count) fault\(error.issues.count == 1 ? "" : "s"))"]
                    + error.issues.map { "  \($0.description)" }
                CLIOutput.failure(lines.joined(separator: "\n"), hint: "Fix the schema first; locations are JSON pointers into it.", exitCode: 2)
            }
            for issue in check.backtrackingPatterns {
                FileHandle.standardError.write(Data("warning: \(schema): \(issue.description)\n".utf8))
            }
            var reports: [InstanceReport] = []
            for file in instances {
                do {
                    reports.append(InstanceReport(file: file, outcome: try check.check(instanceFile: file)))
                } catch {
                    Self.unreadable(error)
                }
            }
            if output == .json {
                CLIOutput.json(Summary(valid: reports.allSatisfy(\.valid), instances: reports))
            } else {
                for report in reports { print(report.text) }
            }
            if !reports.allSatisfy(\.valid) { throw ExitCode(1) }
        }

        private static func unreadable(_ error: ContractError) -> Never {
            CLIOutput.failure("\(error.source ?? "?"): \(error.message)", hint: nil, exitCode: 2)
        }
    }
}

/// One instance's result, as printed.
private struct InstanceReport: Encodable {
    var file: String
    var valid: Bool
    /// Violations in the JSON Schema "basic" output form.
    var errors: [JSONSchema.ValidationError]
    /// Why the file is not a JSON document.
    var parseError: String?

    init(file: String, outcome: SchemaCheck.Outcome) {
        self.file = file
        valid = outcome.isValid
        switch outcome {
        case .valid:
            errors = []
        case .invalid(let violations):
            errors = violations
        case .malformed(let error):
            errors = []
            parseError = error.issues.map(\.description).joined(separator: "; ")
        }
    }

    var text: String {
        if valid { return "valid    \(file)" }
        if let parseError { return "invalid  \(file)\n  not a JSON document: \(parseError)" }
        let lines = errors.map { error in
            "  \(error.instanceLocation.isEmpty ? "(root)" : error.instanceLocation)  \(error.keyword): \(error.message)  [\(error.keywordLocation)]"
        }
        return (["invalid  \(file)  (\(errors.count) error\(errors.count == 1 ? "" : "s"))"] + lines).joined(separator: "\n")
    }
}

/// The whole run, as `--output json` prints it.
private struct Summary: Encodable {
    var valid: Bool
    var instances: [InstanceReport]
}
