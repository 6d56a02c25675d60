import Contracts
import JSONSchema
import Testing

/// The repository's `contracts/` folder, found from this file's location.
let contractsFolder: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/ContractsTests/Fixtures.swift
    return parts.joined(separator: "/") + "/contracts"
}()

/// Loads a sample contract, e.g. `moj/criminal-record-certificate.v1.yaml`.
func sampleContract(_ relativePath: String) throws -> Contract {
    try Contract.load(contentsOf: contractsFolder + "/" + relativePath)
}

/// A minimal valid contract with `paths` and `components` spliced in (YAML, two-space indent).
func contractText(exchange: String = defaultExchange, paths: String = defaultPaths, components: String = "") -> String {
    """
    openapi: 3.1.0
    info: {title: Test service, version: 1.0.0}
    x-exchange:
    \(exchange)
    paths:
    \(paths)
    \(components.isEmpty ? "" : "components:\n" + components)
    """
}

/// A contract with one operation, `POST /s`, whose JSON request body is `schema` (flow YAML).
func contractText(requestSchema schema: String, components: String = "") -> String {
    contractText(paths: """
          /s:
            post:
              requestBody:
                required: true
                content:
                  application/json:
                    schema: \(schema)
              responses: {'204': {description: done}}
        """, components: components)
}

let defaultExchange = """
      provider: moj
      service: test-service
      version: 1
    """

let defaultPaths = """
      /items/{id}:
        get:
          parameters:
            - {name: id, in: path, required: true, schema: {type: string}}
          responses:
            '200': {description: ok}
    """

/// The error thrown when loading `text`, or nil when it loads.
func loadError(_ text: String) -> ContractError? {
    do {
        _ = try Contract(parsing: text)
        return nil
    } catch {
        return error
    }
}

/// The bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// `(instanceLocation, keyword)` of each error, for compact expectations.
func summary(_ errors: [ValidationError]) -> [String] {
    errors.map { "\($0.instanceLocation) \($0.keyword)" }
}

/// The decoded items of `query` (without `?`), read as the exchange reads them (``RequestTarget``).
func queryItems(_ query: String) throws -> [(String, String)] {
    try RequestTarget("/?" + query).queryItems.map { ($0.name, $0.value) }
}
