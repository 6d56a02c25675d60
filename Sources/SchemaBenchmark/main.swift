import Foundation
import JSONSchema

// rabt-schema-bench: validates the corpus in bench/schema with Rabt and, in the same run, with
// jsonschema-rs and jsonschema (PyPI) through scripts/bench/schema_baseline.py, and prints
// operations per second and the ratios as a Markdown table.

let usage = """
    usage: rabt-schema-bench [--corpus bench/schema] [--python python3] [--script scripts/bench/schema_baseline.py]
                             [--budget 0.4] [--case NAME]... [--no-baseline] [--no-format-assertion]
    Run from the repository root. --python may also come from RABT_SCHEMA_PYTHON (a venv with
    `pip install jsonschema-rs jsonschema`); --budget is the soft time bound per measure in seconds.
    Format assertion is on for every validator unless --no-format-assertion.
    """

var corpus = "bench/schema"
var python = ProcessInfo.processInfo.environment["RABT_SCHEMA_PYTHON"] ?? "python3"
var script = "scripts/bench/schema_baseline.py"
var budgetSeconds = 0.4
var only: [String] = []
var withBaseline = true
var formatAssertion = true
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--no-baseline": withBaseline = false
    case "--no-format-assertion": formatAssertion = false
    case "--corpus", "--python", "--script", "--budget", "--case":
        guard let value = arguments.popFirst() else { print(usage); exit(2) }
        switch argument {
        case "--corpus": corpus = value
        case "--python": python = value
        case "--script": script = value
        case "--case": only.append(value)
        default:
            guard let seconds = Double(value), seconds > 0, seconds <= 60 else { print(usage); exit(2) }
            budgetSeconds = seconds
        }
    default:
        print(usage)
        exit(argument == "--help" ? 0 : 2)
    }
}

let measure = Measure(budget: .milliseconds(Int(budgetSeconds * 1000)))
let corpusURL = URL(fileURLWithPath: corpus)
let baseline = Baseline(python: python, script: script, corpus: corpus, budget: measure.budget, formatAssertion: formatAssertion)
let names = try BenchmarkCase.names(in: corpusURL).filter { only.isEmpty || only.contains($0) }

var report = Report(formatAssertion: formatAssertion)
for name in names {
    let benchmarkCase = try BenchmarkCase(name: name, corpus: corpusURL, formatAssertion: formatAssertion)
    var row = Report.Row(name: name, bytes: benchmarkCase.validBytes.count)
    // Baseline first, then Rabt, case by case, so both see the machine in the same state.
    if withBaseline {
        let output = try baseline.run(case: name)
        report.versions.merge(output.versions) { a, _ in a }
        report.missing.formUnion(output.missing)
        row.baselines = output.results
    }
    row.rabt = benchmarkCase.measure(with: measure)
    row.rabt["errors"] = Double(benchmarkCase.validator.validate(benchmarkCase.invalid).errors.count)
    report.rows.append(row)
    FileHandle.standardError.write(Data("measured \(name)\n".utf8))
}
print(report.render())
