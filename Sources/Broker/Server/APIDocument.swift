import Foundation

/// The admin and audit API's OpenAPI 3.1 description, bundled with the module
/// (`Sources/Broker/Resources/openapi.yaml`) and served at `/openapi.yaml`.
enum APIDocument {
    /// The document, or nil when the binary was copied without its resource bundle.
    static let bytes: Data? = {
        // SwiftPM's `Bundle.module` calls fatalError when the bundle is missing; serve a problem instead.
        #if os(Linux)
        let besideExecutable = (try? FileManager.default.contentsOfDirectory(atPath: Bundle.main.bundleURL.path)) ?? []
        guard besideExecutable.contains(where: { $0.hasSuffix("_Broker.resources") }) else { return nil }
        #endif
        return Bundle.module.url(forResource: "openapi", withExtension: "yaml").flatMap { try? Data(contentsOf: $0) }
    }()
}
