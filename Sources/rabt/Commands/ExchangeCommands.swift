import Agencies
import ArgumentParser
import Broker
import Delivery
import Demo
import Foundation
import HTTPTypes
import Logging
import Signing
import UnixSignals

/// `rabt call`: one signed exchange request as an agency system sends it.
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Send one signed exchange request as an agency (mTLS + RFC 9421) and check Rabt's receipt.",
        discussion: """
            What an agency's system does for every call: TLS with the agency's client certificate, \
            Content-Digest over the body, and an RFC 9421 signature covering the method, the target \
            URI, the digest and a nonce. Prints the status, the Exchange-Id, whether Rabt's receipt \
            verifies, and the body. Exit code 0 for a 2xx answer, 1 for any other answer, 3 when \
            the broker cannot be reached.

            Examples:
              rabt call POST moj/criminal-record-certificate/certificates --pki certs/dev --as mol \\
                  --data '{"applicant": {"nationalId": "9861034521"}, "purpose": "employment"}'
              rabt call POST moj/criminal-record-certificate/certificates --pki certs/dev --as mol \\
                  --header "Prefer: respond-async" --data-file request.json
              rabt call GET messages/3f0c… --pki certs/dev --as mol
              rabt call GET rop/traffic-violations/violations?nationalId=9861034521 --as mol \\
                  --ca ca.pem --cert mol.pem --key mol-key.pem --signing-key mol-signing.pem --key-id mol-2026
            """
    )

    @Argument(help: "HTTP method.") var method: String
    @Argument(help: "provider/service[.vN]/operation path, with its query.") var path: String
    @Option(help: "JSON body text.") var data: String?
    @Option(name: .customLong("data-file"), help: "File with the JSON body.") var dataFile: String?
    @Option(name: .customLong("header"), help: "An extra header, 'Name: value' (repeatable).") var headers: [String] = []
    @Option(name: .customLong("as"), help: "The calling agency's id.") var agency: String
    @Option(help: "A development PKI folder: the agency's certificate, key and signature key.") var pki: String?
    @Option(help: "The broker's base URL.") var broker: String = ProcessInfo.processInfo.environment["RABT_BROKER"] ?? "https://127.0.0.1:8443"
    @Option(help: "The exchange CA (PEM).") var ca: String?
    @Option(help: "The agency's client certificate (PEM).") var cert: String?
    @Option(help: "The agency's TLS key (PEM).") var key: String?
    @Option(name: .customLong("signing-key"), help: "The agency's signature private key (PEM).") var signingKey: String?
    @Option(name: .customLong("key-id"), help: "The keyid its public key is registered under (default <agency>-signing).") var keyId: String?
    @Option(name: .customLong("rabt-key"), help: "Rabt's signing public key (PEM) to verify the receipt.") var rabtKey: String?

    func run() async throws {
        let layout = pki.map { DevelopmentPKI(directory: URL(fileURLWithPath: $0)) }
        func file(_ flag: String?, _ fromPKI: (DevelopmentPKI) -> URL, _ option: String) throws -> String {
            if let flag { return flag }
            if let layout { return fromPKI(layout).path }
            throw ValidationError("Name --\(option), or --pki for a development PKI.")
        }
        let signing: SigningKey
        let signingPath = try file(signingKey, { $0.agencySigningKey(agency) }, "signing-key")
        do { signing = try PEMFiles.signingKey(at: URL(fileURLWithPath: signingPath)) } catch {
            throw ValidationError("Cannot read the signature key \(signingPath): \(error)")
        }
        let identity = ExchangeClient.Identity(
            agency: agency, caFile: try file(ca, \.caCertificate, "ca"),
            certificateFile: try file(cert, { $0.agencyCertificate(agency) }, "cert"),
            keyFile: try file(key, { $0.agencyKey(agency) }, "key"),
            signingKey: signing, keyID: keyId ?? "\(agency)-signing"
        )
        var body: [UInt8] = []
        if let data { body = Array(data.utf8) }
        if let dataFile {
            guard let contents = FileManager.default.contents(atPath: dataFile) else { throw ValidationError("Cannot read \(dataFile).") }
            body = Array(contents)
        }
        var extra = HTTPFields()
        for text in headers {
            guard let colon = text.firstIndex(of: ":") else { throw ValidationError("--header '\(text)' is not 'Name: value'.") }
            guard let name = HTTPField.Name(String(text[..<colon])) else {
                throw ValidationError("--header '\(text)': '\(text[..<colon])' is not a header field name (letters, digits and !#$%&'*+-.^_`|~ only).")
            }
            let value = String(text[text.index(after: colon)...])
            guard HTTPField.isValidValue(value.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--header '\(text.prefix(80))': the value holds a control character.")
            }
            extra.append(HTTPField(name: name, value: value))
        }
        let transport = CurlTransport(logger: Logger(label: "rabt.call"))
        defer { transport.shutdown() }
        let client = ExchangeClient(brokerURL: broker.hasSuffix("/") ? String(broker.dropLast()) : broker, identity: identity, transport: transport)
        let exchangePath = "/exchange/" + (path.hasPrefix("/") ? String(path.drop { $0 == "/" }) : path)
            .replacingOccurrences(of: "exchange/", with: "", options: .anchored)
        let answer: ExchangeClient.Answer
        do {
            answer = try await client.send(method.uppercased(), exchangePath, json: body, headers: extra)
        } catch {
            CLIOutput.failure("cannot reach the broker at \(broker): \(error)", hint: "Check --broker and that the broker runs.", exitCode: 3)
        }
        print("HTTP \(answer.status)")
        for name in ["Exchange-Id", "Exchange-Error", "Deprecation", "Sunset"] {
            if let value = answer.header(name) { print("\(name): \(value)") }
        }
        if answer.status == 202, let location = answer.header("location") {
            print("Accepted for asynchronous delivery; poll it with: rabt call GET \(location.replacingOccurrences(of: "/exchange/", with: "")) --as \(agency) …")
        } else if !exchangePath.hasPrefix("/exchange/messages/"),
                  let receiptKey = rabtKey ?? layout?.rabtSigningPublicKey.path, answer.header("exchange-error") == nil {
            do {
                _ = try await answer.verifyReceipt(rabtKey: try PEMFiles.verificationKey(at: URL(fileURLWithPath: receiptKey)))
                print("Receipt: verified with \(receiptKey)")
            } catch {
                print("Receipt: NOT verified (\(error))")
            }
        }
        print(answer.text)
        if !(200..<300).contains(answer.status) { throw ExitCode(1) }
    }
}

/// `rabt sample-provider`: one of the sample agencies' services, for trying an exchange end to end.
struct SampleProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-provider",
        abstract: "Serve a sample agency's service over HTTPS (moj, rop or spf) until interrupted.",
        discussion: """
            The services the sample contracts in contracts/ describe, with fictional people: \
            moj answers criminal record certificates, rop traffic violations, spf contribution \
            records. Serves on 127.0.0.1 (or --host) with the agency's server certificate from a \
            development PKI and accepts only clients of the exchange CA (Rabt).

            Examples:
              rabt sample-provider moj --pki certs/dev --port 9443
              rabt sample-provider moj --pki /pki --host 0.0.0.0 --port 9443   # in a container
            """
    )

    @Argument(help: "moj, rop or spf.") var agency: String
    @Option(help: "The development PKI folder holding agencies/<agency>-server.pem.") var pki: String
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on.") var port: Int = 9443

    func run() async throws {
        let routes: [ProviderRoute]
        switch agency {
        case "moj": routes = JusticeMinistry.routes()
        case "rop": routes = TrafficDepartment.routes()
        case "spf": routes = SocialProtectionFund.routes()
        default: throw ValidationError("No sample service for '\(agency)'; use moj, rop or spf.")
        }
        let layout = DevelopmentPKI(directory: URL(fileURLWithPath: pki))
        guard FileManager.default.fileExists(atPath: layout.agencyServerCertificate(agency).path) else {
            throw ValidationError("\(layout.agencyServerCertificate(agency).path) is missing; issue it with `rabt pki issue --pki \(pki) --agency \(agency)`.")
        }
        var logger = Logger(label: "rabt.sample-provider")
        logger.logLevel = .notice
        let server = ProviderServer(name: agency, routes: routes, tls: .init(pki: layout, agency: agency), logger: logger)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let bound = try await server.start(host: host, port: port)
        print("Sample \(agency) service on https://\(host.contains(":") ? "[\(host)]" : host):\(bound) (Ctrl-C stops it)")
        for await _ in signals { break }
        await server.stop()
    }
}
