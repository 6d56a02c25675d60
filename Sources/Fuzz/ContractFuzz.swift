import Contracts

/// A contract document as an operator would publish it: YAML or JSON text, read, checked as
/// OpenAPI 3.1 with `x-exchange`, its schemas compiled. Either a `ContractError` or a contract.
enum ContractFuzz {
    static func run(_ input: [UInt8]) {
        guard let contract = try? Contract(parsing: input) else { return }
        // A loaded contract answers routing for any path without failing.
        _ = contract.route(method: "GET", path: "/")
        _ = contract.route(method: "POST", path: "/a/b")
    }
}
