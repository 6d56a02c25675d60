import Broker
import Foundation
import Signing

extension LocalExchange {
    /// Registers the sample agencies with their keys, the given provider endpoints and every
    /// contract under `contracts` through the admin API, as an operator does with `rabt`.
    /// `report` receives one line per registration.
    public func register(endpoints: [String: String], contracts: URL, report: (String) -> Void = { _ in }) async throws {
        let admin = self.admin
        for agency in Self.agencies {
            _ = try await admin.addAgency(AgencyRegistration(id: agency.id, name: agency.name))
            let publicKey = try String(contentsOf: pki.agencySigningPublicKey(agency.id), encoding: .utf8)
            let key = try await admin.addKey(
                agency: agency.id,
                KeyRegistration(keyId: "\(agency.id)-signing", algorithm: agency.algorithm.wireName, publicKey: publicKey)
            )
            report("agency \(agency.id.padding(toLength: 4, withPad: " ", startingAt: 0)) \(agency.name.padding(toLength: 34, withPad: " ", startingAt: 0)) key \(key.keyId) (\(key.algorithm))")
        }
        for (provider, url) in endpoints.sorted(by: { $0.key < $1.key }) {
            _ = try await admin.setEndpoint(provider: provider, EndpointSetting(urls: [url], timeoutMilliseconds: 2000))
            report("endpoint \(provider) → \(url)")
        }
        for file in try Self.contractFiles(in: contracts) {
            let text = try String(contentsOf: file, encoding: .utf8)
            let view = try await admin.publishContract(text, fileName: file.lastPathComponent)
            report("contract \(view.provider)/\(view.service) v\(view.version)  consumers \(view.consumers.joined(separator: ", "))  operations: \(view.operations.joined(separator: ", "))")
        }
    }

    /// Every `.yaml`, `.yml` and `.json` file under `directory`, sorted.
    static func contractFiles(in directory: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory.resolvingSymlinksInPath(), includingPropertiesForKeys: nil) else {
            throw DemoError("cannot read the contracts folder \(directory.path)")
        }
        let files = walker.compactMap { $0 as? URL }.filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
        guard !files.isEmpty else { throw DemoError("no contracts in \(directory.path)") }
        return files.sorted { $0.path < $1.path }
    }
}
