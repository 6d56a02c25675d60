import Foundation

/// The draft 2020-12 metaschema and its vocabulary metaschemas, bundled with the module.
enum Metaschemas {
    /// A registry holding the bundled metaschemas, loaded once per process.
    static let registry: ResourceRegistry = {
        var registry = ResourceRegistry()
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
