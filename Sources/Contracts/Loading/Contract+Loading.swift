import Foundation
import JSONSchema

extension Contract {
    /// Base of the URIs contract documents are registered under for schema compilation.
    public static let baseURI = "https://contracts.rabt.invalid/"

    private static let rootKeys: Set<String> = [
        "openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security",
        "tags", "externalDocs",
    ]
    private static let dialects: Set<String> = [
        "https://json-schema.org/draft/2020-12/schema", "https://spec.openapis.org/oas/3.1/dialect/base",
    ]

    /// Loads a contract from YAML or JSON text (JSON when the first non-blank character is `{`).
    public init(parsing text: String) throws(ContractError) {
        let (document, sourceMap) = try DocumentReader.read(text)
        try self.init(document: document, sourceMap: sourceMap)
    }

    /// Loads a contract from UTF-8 bytes of YAML or JSON.
    public init(parsing bytes: some Collection<UInt8>) throws(ContractError) {
        try self.init(parsing: DocumentReader.text(of: bytes))
    }

    /// Loads the contract file at `path`; a fault names the file in `ContractError.source`.
    public static func load(contentsOf path: String) throws(ContractError) -> Contract {
        let data = try DocumentReader.contents(ofFile: path)
        do {
            return try Contract(parsing: data)
        } catch {
            var failure = error
            failure.source = path
            throw failure
        }
    }

    /// Loads every `*.yaml`, `*.yml` and `*.json` file below `directory` (one level of provider
    /// folders, as in `contracts/moj/…`), sorted by contract id. Two files declaring the same
    /// provider, service and version are refused.
    public static func loadDirectory(_ directory: String) throws(ContractError) -> [Contract] {
        let files: [String]
        do {
            let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            files = try FileManager.default.subpathsOfDirectory(atPath: resolved)
                .filter { [".yaml", ".yml", ".json"].contains(where: $0.hasSuffix) }
                .sorted()
        } catch {
            var failure = ContractError(.unreadable, at: "", "cannot list the directory", underlying: SendableDescription(error))
            failure.source = directory
            throw failure
        }
        var contracts: [Contract] = []
        var sources: [String: String] = [:]
        for file in files {
            let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
            let contract = try load(contentsOf: path)
            if let other = sources.updateValue(path, forKey: contract.exchange.id) {
                var failure = ContractError(.exchange, at: "/x-exchange",
                                            "contract \(contract.exchange.id) is also declared by \(other)")
                failure.source = path
                throw failure
            }
            contracts.append(contract)
        }
        return contracts.sorted { $0.exchange.id < $1.exchange.id }
    }

    /// Checks an already parsed OpenAPI document and compiles its schemas.
    public init(document: JSONValue) throws(ContractError) {
        try self.init(document: document, sourceMap: SourceMap())
    }

    init(document: JSONValue, sourceMap: SourceMap) throws(ContractError) {
        guard case .object(let root) = document else {
            throw ContractError(.structure, at: "", "a contract must be an OpenAPI document (an object)")
        }
        // A first pass reads x-exchange: the base URI and format assertion depend on it.
        var probe = LoadContext(document: document, sourceMap: sourceMap, schemas: SchemaTable.unused)
        let exchange = probe.readExchange(root["x-exchange"])
        var options = ValidationOptions()
        options.formatAssertion = exchange?.formatAssertion ?? true
        // Agencies' requests are matched against contract patterns on the exchange path: only
        // patterns RE2 runs in linear time are accepted, so no request can stall the node.
        options.allowsBacktrackingPatterns = false
        let uri = Self.baseURI + (exchange.map { "\($0.provider)/\($0.service)/v\($0.version)" } ?? "contract")
        var context = LoadContext(document: document, sourceMap: sourceMap,
                                  schemas: SchemaTable(document: document, baseURI: uri, options: options))
        for issue in probe.issues { context.report(issue.code, issue.location, issue.message) }
        if let error = context.schemas.resourceError {
            context.report(.schema, "", "the document's schemas cannot be registered: \(error)")
        }

        context.checkKeys(root, at: "", allowed: Self.rootKeys.union(["x-exchange"]))
        let openapi = context.string(root["openapi"], at: "/openapi", required: true)
        if let openapi, !Self.isOpenAPI31(openapi) {
            context.report(.unsupported, "/openapi", "OpenAPI '\(openapi)' is not supported; contracts are OpenAPI 3.1.x")
        }
        let info = context.object(root["info"], at: "/info", required: true)
        let title = context.string(info?["title"], at: "/info/title", required: info != nil)
        let documentVersion = context.string(info?["version"], at: "/info/version", required: info != nil)
        if let dialect = context.string(root["jsonSchemaDialect"], at: "/jsonSchemaDialect", required: false),
           !Self.dialects.contains(dialect) {
            context.report(.unsupported, "/jsonSchemaDialect", "only JSON Schema 2020-12 is supported")
        }

        let (operations, routes) = context.readPaths(root["paths"])
        if let components = context.object(root["components"], at: "/components", required: false),
           let schemas = context.object(components["schemas"], at: "/components/schemas", required: false) {
            // Compiled even when unused, so a broken schema is refused when published, not when first used.
            for name in schemas.keys {
                _ = context.validator(forSchemaAt: JSONPointer.appending("/components/schemas", name))
            }
        }
        guard context.issues.isEmpty, let exchange, let title, let documentVersion else {
            throw ContractError(issues: context.issues.isEmpty
                ? [ContractError.Issue(code: .structure, location: "", message: "the contract is incomplete")]
                : context.issues, underlying: context.cause ?? context.schemas.resourceError)
        }
        self.init(exchange: exchange, title: title, documentVersion: documentVersion, document: document,
                  operations: operations, routes: routes)
    }

    private static func isOpenAPI31(_ version: String) -> Bool {
        guard version.hasPrefix("3.1.") else { return false }
        let patch = version.dropFirst(4).prefix { $0 != "-" }
        return !patch.isEmpty && patch.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
