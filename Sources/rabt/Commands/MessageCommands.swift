import ArgumentParser
import Audit
import Broker
import Foundation

/// `rabt message`: asynchronous messages and dead letters.
struct MessageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: "List and inspect asynchronous messages; resend or discard dead letters.",
        subcommands: [List.self, Show.self, Resend.self, Discard.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List asynchronous messages, newest first, with the count in each state.",
            discussion: """
                States: pending (waiting for its next attempt), delivering, delivered, dead (the \\
                delivery horizon passed; an operator decides), discarded.

                Examples:
                  rabt message list --state dead
                  rabt message list --state pending,delivering --provider moj --output json
                """
        )
        @Option(help: "Only these states, comma-separated.") var state: String?
        @Option(help: "Only messages to this provider.") var provider: String?
        @Option(help: "At most this many (1–1000).") var limit: Int = 50
        @Option(help: "The nextCursor of the previous page.") var after: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let states = state.map { $0.split(separator: ",").map(String.init) } ?? []
            let list = try await connection.call { client throws(BrokerClientError) in
                try await client.messages(states: states, provider: provider, limit: limit, after: after)
            }
            if connection.output == .json { return CLIOutput.json(list) }
            print(list.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  "))
            CLIOutput.table(
                ["EXCHANGE", "STATE", "CONSUMER→PROVIDER", "OPERATION", "ATTEMPTS", "CREATED", "LAST ERROR"],
                list.messages.map {
                    [$0.exchangeId, $0.state, "\($0.consumer)→\($0.provider)", $0.operation, "\($0.attempts)",
                     Timestamp.format($0.createdAt), String(($0.lastError ?? "").prefix(60))]
                }
            )
            if let next = list.nextCursor { print("more: --after \(next)") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one asynchronous message and, once delivered, the provider's answer.",
            discussion: "Example:\n  rabt message show 3f0c…"
        )
        @Argument(help: "The exchange id.") var id: String
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let message = try await connection.call { client throws(BrokerClientError) in try await client.message(id) }
            if connection.output == .json { return CLIOutput.json(message) }
            print("\(message.exchangeId)  \(message.state)  \(message.consumer)→\(message.provider) \(message.service) v\(message.version) \(message.operation)")
            print("attempts \(message.attempts); created \(Timestamp.format(message.createdAt)); horizon \(Timestamp.format(message.expiresAt))")
            if let next = message.nextAttemptAt { print("next attempt \(Timestamp.format(next))") }
            if let error = message.lastError { print("last error: \(error)") }
            if let response = message.response { print("answered \(response.status)") }
        }
    }

    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a dead letter again, with a new delivery horizon from its contract.",
            discussion: "Example:\n  rabt message resend 3f0c… --yes"
        )
        @Argument(help: "The exchange id.") var id: String
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await MessageCommand.handle(id, resend: true, confirmation, connection)
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discard a dead letter: it stays on record but is never delivered.",
            discussion: "Example:\n  rabt message discard 3f0c… --yes"
        )
        @Argument(help: "The exchange id.") var id: String
        @OptionGroup var confirmation: Confirmation
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await MessageCommand.handle(id, resend: false, confirmation, connection)
        }
    }

    /// Resends or discards a dead letter after confirmation.
    static func handle(_ id: String, resend: Bool, _ confirmation: Confirmation, _ connection: ConnectionOptions) async throws {
        try confirmation.require(resend ? "Send message \(id) to its provider again?" : "Discard message \(id)? It will never be delivered.")
        let message = try await connection.call { client throws(BrokerClientError) in try await client.handleDeadLetter(id, resend: resend) }
        if connection.output == .json { return CLIOutput.json(message) }
        print(resend ? "Message \(message.exchangeId) is \(message.state) again; delivery restarts now." : "Message \(message.exchangeId) is \(message.state).")
    }
}
