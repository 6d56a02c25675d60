/// The inputs Rabt reads from parties it does not control, each as a fuzz target: one function
/// from arbitrary bytes to nothing, which must never crash, hang or break an invariant it checks.
///
/// One binary holds them all; `RABT_FUZZ_TARGET` (under libFuzzer) or the first argument (replay)
/// picks one. docs/fuzzing.md says how to run them.
enum FuzzTarget: String, CaseIterable {
    /// The JSON parser that reads every request and response body.
    case json
    /// `Signature-Input`, `Signature` and `Content-Digest` (structured fields) through verification.
    case signature
    /// A request target read strictly, then routed through path templates and forwarded.
    case target
    /// A schema `pattern` (ECMA-262) translated for RE2 or ICU, then matched.
    case pattern
    /// A schema `pattern` on every engine that takes it: their verdicts must agree.
    case patternEngines = "pattern-engines"
    /// A contract document: YAML or JSON, OpenAPI 3.1, `x-exchange`, schemas compiled.
    case contract
    /// An audit export read line by line and verified offline.
    case auditExport = "audit-export"

    /// Runs the target on one input.
    func run(_ input: [UInt8]) {
        switch self {
        case .json: JSONFuzz.run(input)
        case .signature: SignatureFuzz.run(input)
        case .target: TargetFuzz.run(input)
        case .pattern: PatternFuzz.run(input)
        case .patternEngines: PatternEnginesFuzz.run(input)
        case .contract: ContractFuzz.run(input)
        case .auditExport: AuditExportFuzz.run(input)
        }
    }

    /// Prepares what every input shares (keys, a compiled contract) before the first one.
    func prepare() {
        switch self {
        case .signature: SignatureFuzz.prepare()
        case .target: TargetFuzz.prepare()
        default: break
        }
    }

    /// A broken invariant: the message names it; libFuzzer keeps the input that broke it.
    static func invariant(_ holds: Bool, _ message: @autoclosure () -> String) {
        if !holds { fatalError("invariant broken: \(message())") }
    }
}
