import Foundation

/// The draft 2020-12 metaschema and its vocabulary metaschemas, bundled with the module.
enum Metaschemas {
    /// A registry holding the bundled metaschemas, loaded once per process.
    static let registry: ResourceRegistry = {
        var registry = ResourceRegistry()
        // SwiftPM's `Bundle.module` calls fatalError when the resource bundle is missing (a binary
        // copied without `<package>_JSONSchema.resources`). On Linux, where Rabt is deployed,
        // degrade instead: without the bundle only `$ref`s to the metaschemas fail (at compile
        // time, as unresolved references).
        #if os(Linux)
        let besideExecutable = (try? FileManager.default.contentsOfDirectory(atPath: Bundle.main.bundleURL.path)) ?? []
        guard besideExecutable.contains(where: { $0.hasSuffix("_JSONSchema.resources") }) else { return registry }
        #endif
        guard let folder = Bundle.module.url(forResource: "metaschemas", withExtension: nil) else { return registry }
        let files = ["schema.json"] + ["applicator", "content", "core", "format-annotation", "format-assertion",
                                       "meta-data", "unevaluated", "validation"].map { "meta/\($0).json" }
        for file in files {
            // The bundled files are fixed and known-good; a broken bundle just leaves them unresolvable.
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                let document = try? JSONValue(parsing: data),
                case .string(let id)? = document["$id"]
            else { continue }
            try? registry.add(document, uri: id)
        }
        return registry
    }()
}
