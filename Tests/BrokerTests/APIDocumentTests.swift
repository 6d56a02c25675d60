import Contracts
import Delivery
import Demo
import Foundation
import JSONSchema
import Signing
import Testing

/// The admin and audit API description kept in the repository and served by the broker must
/// name every route the broker registers, and nothing it does not.
@Suite struct APIDocumentTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Broker").resolvingSymlinksInPath()

    /// `GET /admin/agencies/{}`: method and path with parameter names erased.
    static func route(_ method: String, _ path: String) -> String {
        let erased = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") || (segment.hasPrefix("{") && segment.hasSuffix("}")) ? "{}" : String(segment)
        }
        return method.uppercased() + " " + erased.joined(separator: "/")
    }

    /// Every `router.get("/…")`-style registration in the Broker sources, except the exchange API.
    /// A registration on a route group (`admin.get("/agencies")`) has the prefix of the group, which
    /// is declared as `let admin = router.group("/admin")` and goes by that name wherever routes are
    /// registered on it.
    static func registeredRoutes() throws -> Set<String> {
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        let texts = try files.map { try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8) }
        var prefixes = ["router": ""]
        let group = try Regex(#"let (\w+) = router\.group\("(/[^"]*)"\)"#)
        for match in texts.flatMap({ $0.matches(of: group) }) {
            prefixes[String(match.output[1].substring ?? "")] = String(match.output[2].substring ?? "")
        }
        let registration = try Regex(#"(\w+)\.(get|post|put|delete|patch)\("(/[^"]*)""#)
        var routes: Set<String> = []
        for match in texts.flatMap({ $0.matches(of: registration) }) {
            guard let prefix = prefixes[String(match.output[1].substring ?? "")] else { continue }
            let method = String(match.output[2].substring ?? ""), path = String(match.output[3].substring ?? "")
            routes.insert(route(method, prefix + path))
        }
        return routes
    }

    @Test func servedDocumentDescribesExactlyTheRegisteredRoutes() async throws {
        let exchange = try await TestExchange.shared.get()
        let request = OutboundRequest(method: "GET", url: exchange.brokerURL + "/openapi.yaml", tls: TLSSettings(
            caFile: exchange.pki.caCertificate.path, clientCertificateFile: exchange.pki.operatorCertificate("operator").path,
            clientKeyFile: exchange.pki.operatorKey("operator").path))
        let response = try await exchange.transport.send(request)
        #expect(response.status == 200)
        let repository = try Data(contentsOf: Self.sources.appendingPathComponent("Resources/openapi.yaml"))
        #expect(Data(response.body) == repository, "the broker serves the document kept in the repository")

        let document = try DocumentReader.value(parsing: response.body)
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1") == true)
        var documented: Set<String> = []
        for (path, item) in document["paths"]?.objectValue ?? JSONObject() {
            for method in ["get", "post", "put", "delete", "patch"] where item[method] != nil {
                documented.insert(Self.route(method, path))
            }
        }
        let registered = try Self.registeredRoutes()
        #expect(registered.count > 20)
        #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
    }

    @Test func everySchemaReferenceInTheDocumentResolves() throws {
        let text = try Data(contentsOf: Self.sources.appendingPathComponent("Resources/openapi.yaml"))
        let document = try DocumentReader.value(parsing: text)
        var compiler = SchemaCompiler()
        try compiler.addResource(document, uri: "https://rabt.invalid/openapi.yaml")
        for (name, _) in document["components"]?["schemas"]?.objectValue ?? JSONObject() {
            _ = try compiler.compile(uri: "https://rabt.invalid/openapi.yaml#/components/schemas/\(name)")
        }
    }
}
