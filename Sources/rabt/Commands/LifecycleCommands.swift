import ArgumentParser
import Audit
import Broker
import Foundation

/// Reads a PEM file named on the command line.
func readPEM(_ path: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ValidationError("Cannot read \(path): \(error.localizedDescription)")
    }
}

/// `--yes` for actions that refuse exchanges: asked on a terminal, required in scripts.
struct Confirmation: ParsableArguments {
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func require(_ question: String) throws {
        guard !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("\(question) Pass --yes to confirm when not running on a terminal.")
        }
        print("\(question) Type yes to continue: ", terminator: "")
        guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
            CLIOutput.failure("nothing was changed", hint: nil, exitCode: 1)
        }
    }
}

/// A time on the command line: RFC 3339 or a date (its UTC midnight).
func parseTime(_ text: String, option: String) throws -> Date {
    guard let date = AuditTime.parse(text) else {
        throw ValidationError("--\(option) '\(text)' is not an RFC 3339 time (2026-12-31T00:00:00Z) or a date (2026-12-31).")
    }
    return date
}

/// Key validity for people: "valid", "ends 2026-12-31T…", "revoked 2026-…".
func keyState(_ key: KeyView, now: Date = Date()) -> String {
    if let notBefore = key.notBefore, notBefore > now { return "from \(Timestamp.format(notBefore))" }
    guard let end = key.validUntil else { return "valid" }
    if end <= now { return key.revokedAt == end ? "revoked \(Timestamp.format(end))" : "expired \(Timestamp.format(end))" }
    return "valid until \(Timestamp.format(end))"
}

extension AgencyCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an agency with its keys and endpoint.", discussion: "Example:\n  rabt agency show moj"
        )
        @Argument(help: "Agency id.") var id: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let detail = try await connection.call { client throws(BrokerClientError) in try await client.agency(id) }
            if connection.output == .json { return CLIOutput.json(detail) }
            print("\(detail.agency.id)  \(detail.agency.name)  \(detail.agency.status)")
            print("endpoint: \(detail.endpoint?.urls.joined(separator: " ") ?? "none")")
            CLIOutput.table(["KEY", "ALGORITHM", "STATE"], detail.keys.map { [$0.keyId, $0.algorithm, keyState($0)] })
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend an agency: its requests are refused (agency-suspended) from the next one on.",
            discussion: "Example:\n  rabt agency suspend mol --yes"
        )
        @Argument(help: "Agency id.") var id: String
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try confirmation.require("Suspend agency \(id)? Its exchange requests will be refused.")
            let agency = try await connection.call { client throws(BrokerClientError) in try await client.setAgency(id, suspended: true) }
            if connection.output == .json { return CLIOutput.json(agency) }
            print("Agency \(agency.id) is \(agency.status).")
        }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reactivate a suspended agency.", discussion: "Example:\n  rabt agency reactivate mol"
        )
        @Argument(help: "Agency id.") var id: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let agency = try await connection.call { client throws(BrokerClientError) in try await client.setAgency(id, suspended: false) }
            if connection.output == .json { return CLIOutput.json(agency) }
            print("Agency \(agency.id) is \(agency.status).")
        }
    }
}

extension KeyCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an agency's signature keys and until when each verifies.", discussion: "Example:\n  rabt key list mol"
        )
        @Argument(help: "Agency id.") var agency: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let keys = try await connection.call { client throws(BrokerClientError) in try await client.keys(agency: agency) }
            if connection.output == .json { return CLIOutput.json(keys) }
            CLIOutput.table(["KEY", "ALGORITHM", "STATE"], keys.map { [$0.keyId, $0.algorithm, keyState($0)] })
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a new key for an agency and keep the old one verifying until a set time.",
            discussion: """
                Example:
                  rabt key rotate mol mol-2026 --new-key-id mol-2027 --algorithm ed25519 \\
                      --public-key mol-2027.pub.pem --old-valid-until 2027-01-15
                """
        )
        @Argument(help: "Agency id.") var agency: String
        @Argument(help: "The key being replaced.") var keyId: String
        @Option(name: .customLong("new-key-id"), help: "The new key's keyid.") var newKeyId: String
        @Option(help: "ed25519, ecdsa-p256-sha256 or rsa-pss-sha512.") var algorithm: String
        @Option(name: .customLong("public-key"), help: "PEM file with the new public key or a certificate.") var publicKey: String
        @Option(name: .customLong("old-valid-until"), help: "Until when the old key still verifies (RFC 3339 time or date).")
        var oldValidUntil: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let rotation = KeyRotation(
                newKey: KeyRegistration(keyId: newKeyId, algorithm: algorithm, publicKey: try readPEM(publicKey)),
                oldKeyValidUntil: try parseTime(oldValidUntil, option: "old-valid-until")
            )
            let keys = try await connection.call { client throws(BrokerClientError) in
                try await client.rotateKey(agency: agency, keyId: keyId, rotation)
            }
            if connection.output == .json { return CLIOutput.json(keys) }
            CLIOutput.table(["KEY", "ALGORITHM", "STATE"], keys.map { [$0.keyId, $0.algorithm, keyState($0)] })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: requests signed with it are refused from the next one on (or from --at).",
            discussion: "Examples:\n  rabt key revoke mol mol-2026 --yes\n  rabt key revoke mol mol-2026 --at 2026-12-31 --yes"
        )
        @Argument(help: "Agency id.") var agency: String
        @Argument(help: "The key to revoke.") var keyId: String
        @Option(help: "When the key stops verifying (RFC 3339 time or date); now when absent.") var at: String?
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let when = try at.map { try parseTime($0, option: "at") }
            try confirmation.require("Revoke key \(keyId) of \(agency)? Requests signed with it will be refused.")
            let key = try await connection.call { client throws(BrokerClientError) in
                try await client.revokeKey(agency: agency, keyId: keyId, at: when)
            }
            if connection.output == .json { return CLIOutput.json(key) }
            print("Key \(key.keyId) of \(key.agency): \(keyState(key)).")
        }
    }

    struct Expiring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List keys of every agency that stop verifying within N days.",
            discussion: "Example:\n  rabt key expiring --days 30"
        )
        @Option(help: "How many days ahead to look (1–3650).") var days: Int = 30
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            guard (1...3650).contains(days) else { throw ValidationError("--days must be 1–3650.") }
            let keys = try await connection.call { client throws(BrokerClientError) in try await client.expiringKeys(days: days) }
            if connection.output == .json { return CLIOutput.json(keys) }
            if keys.isEmpty { return print("No key stops verifying within \(days) days.") }
            CLIOutput.table(["AGENCY", "KEY", "ALGORITHM", "STATE"], keys.map { [$0.agency, $0.keyId, $0.algorithm, keyState($0)] })
        }
    }
}

extension EndpointCommand {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect from Rabt to a provider's endpoint URLs and say what fails: DNS, connect, TLS or HTTP.",
            discussion: "Example:\n  rabt endpoint test moj\n\nExits 1 when any URL cannot be reached."
        )
        @Argument(help: "Provider agency id.") var provider: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let checks = try await connection.call { client throws(BrokerClientError) in try await client.testEndpoint(provider: provider) }
            if connection.output == .json {
                CLIOutput.json(checks)
            } else {
                for check in checks {
                    print("\(check.reachable ? "ok  " : "FAIL") \(check.url)  (\(check.durationMs) ms)\n     \(check.message)")
                }
            }
            if !checks.allSatisfy(\.reachable) { throw ExitCode(1) }
        }
    }
}

/// `rabt grant`: which consumers may call which provider service version.
struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Add, revoke and list which consumer agencies may call which service version.",
        discussion: "A contract's consumers are its initial grants. Changes apply from the next request.",
        subcommands: [Add.self, Revoke.self, List.self]
    )

    /// The grant named on the command line.
    struct Target: ParsableArguments {
        @Argument(help: "Consumer agency id.") var consumer: String
        @Argument(help: "Provider service and version, e.g. moj/criminal-record-certificate/v1.") var service: String

        func request() throws -> GrantRequest {
            let parts = service.split(separator: "/").map(String.init)
            guard parts.count == 3, parts[2].hasPrefix("v"), let version = Int(parts[2].dropFirst()), version > 0 else {
                throw ValidationError("'\(service)' is not PROVIDER/SERVICE/vVERSION, e.g. moj/criminal-record-certificate/v1.")
            }
            return GrantRequest(consumer: consumer, provider: parts[0], service: parts[1], version: version)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a consumer call a provider service version.",
            discussion: "Example:\n  rabt grant add spf moj/criminal-record-certificate/v1"
        )
        @OptionGroup var target: Target
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let request = try target.request()
            let grant = try await connection.call { client throws(BrokerClientError) in try await client.addGrant(request) }
            if connection.output == .json { return CLIOutput.json(grant) }
            print(grant.changed == false
                  ? "\(grant.consumer) already may call \(target.service)."
                  : "\(grant.consumer) may now call \(target.service).")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw a grant: the consumer is refused (consumer-not-allowed) from its next request.",
            discussion: "Example:\n  rabt grant revoke spf moj/criminal-record-certificate/v1 --yes"
        )
        @OptionGroup var target: Target
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let request = try target.request()
            try confirmation.require("Revoke \(request.consumer)'s grant for \(target.service)?")
            let grant = try await connection.call { client throws(BrokerClientError) in try await client.revokeGrant(request) }
            if connection.output == .json { return CLIOutput.json(grant) }
            print("\(grant.consumer) may no longer call \(target.service).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List grants, optionally of one provider and service.",
            discussion: "Examples:\n  rabt grant list\n  rabt grant list --provider moj"
        )
        @Option(help: "Provider agency id.") var provider: String?
        @Option(help: "Service name (with --provider).") var service: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let provider = provider, service = service
            let grants = try await connection.call { client throws(BrokerClientError) in
                try await client.grants(provider: provider, service: service)
            }
            if connection.output == .json { return CLIOutput.json(grants) }
            CLIOutput.table(["CONSUMER", "SERVICE", "SINCE"], grants.map {
                [$0.consumer, "\($0.provider)/\($0.service)/v\($0.version)", $0.createdAt.map(Timestamp.format) ?? ""]
            })
        }
    }
}

/// `rabt maintenance`: drain a node before working on it.
struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Take the node out of traffic and back: readiness, new exchanges, in-flight count.",
        discussion: """
            In maintenance the node's /health/ready answers 503 so load balancers drain it, exchanges \
            in flight finish, new ones are refused with `maintenance` (503, Retry-After), and the \
            node's delivery worker claims no new asynchronous message (they wait, stored, for \
            another node or for maintenance to end).

            Examples:
              rabt maintenance on --reason "database upgrade" --retry-after 120 --yes
              rabt maintenance status          (wait until 0 exchanges are in flight)
              rabt maintenance off
            """,
        subcommands: [On.self, Off.self, Status.self]
    )

    static func show(_ view: MaintenanceView, _ connection: ConnectionOptions) {
        if connection.output == .json { return CLIOutput.json(view) }
        let since = view.since.map { " since \(Timestamp.format($0))" } ?? ""
        print("Maintenance \(view.enabled ? "on" : "off")\(since)\(view.reason.map { " (\($0))" } ?? ""); \(view.exchangesInFlight) exchange(s) in flight.")
    }

    struct On: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse new exchanges on this node and report not ready.")
        @Option(help: "Seconds refused consumers are told to wait (Retry-After).") var retryAfter: Int?
        @Option(help: "Why, shown to refused consumers and audited.") var reason: String?
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try confirmation.require("Put the node in maintenance? New exchanges will be refused.")
            let setting = MaintenanceSetting(enabled: true, retryAfterSeconds: retryAfter, reason: reason)
            let view = try await connection.call { client throws(BrokerClientError) in try await client.setMaintenance(setting) }
            MaintenanceCommand.show(view, connection)
        }
    }

    struct Off: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take exchanges again and report ready.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let view = try await connection.call { client throws(BrokerClientError) in
                try await client.setMaintenance(MaintenanceSetting(enabled: false))
            }
            MaintenanceCommand.show(view, connection)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the maintenance state and the exchanges in flight.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let view = try await connection.call { client throws(BrokerClientError) in try await client.maintenance() }
            MaintenanceCommand.show(view, connection)
        }
    }
}
