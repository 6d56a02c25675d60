import Foundation

/// The sample contracts `rabt demo` publishes: the files of the repository's `contracts/` folder,
/// bundled with the module (`Resources/contracts` is a link to it), so the demo runs from any
/// folder, the container image's included.
public enum SampleContracts {
    /// The folder holding the bundled contracts, or nil when the binary was copied without
    /// `<package>_Demo.resources`.
    public static var folder: URL? {
        // SwiftPM's `Bundle.module` calls fatalError when the resource bundle is missing; let the
        // demo say so instead.
        #if os(Linux)
        let besideExecutable = (try? FileManager.default.contentsOfDirectory(atPath: Bundle.main.bundleURL.path)) ?? []
        guard besideExecutable.contains(where: { $0.hasSuffix("_Demo.resources") }) else { return nil }
        #endif
        return Bundle.module.resourceURL
    }
}
