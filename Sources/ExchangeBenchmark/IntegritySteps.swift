import Contracts
import Crypto
import Delivery
import Demo
import Foundation
import HTTPTypes
import Signing

/// The per-exchange work the canonical target and the signature chain added (issue 14), each
/// step run on its own over the benchmark's own request, against the CPU a whole exchange costs
/// in the same run: a figure that time over whole exchanges, noisy as it is here, cannot give.
///
/// Counted in full as added: the strict target read, the forwarded target, the field allow-list
/// with the consumer's signature re-serialised, and the idempotency fingerprint. For the two
/// signatures Rabt made before too, only the difference the longer component lists make.
enum IntegritySteps {
    struct Step {
        let name: String
        let microseconds: Double
    }

    static func measure(client: ExchangeClient, path: String, contract: Contract, rounds: Int) throws -> [Step] {
        let prepared = try client.prepare("GET", path)
        var consumerFields = prepared.request.headers
        consumerFields.append(HTTPField(name: HTTPField.Name("Accept")!, value: "application/json"))
        let target = try RequestTarget(path)
        let operationTarget = target.droppingSegments(3)
        guard case .operation(let match) = contract.route(method: "GET", target: operationTarget) else {
            throw CertificateLookup.SetupFailed(description: "the benchmark's path \(path) names no operation")
        }
        let forwardTarget = match.forwardTarget(query: operationTarget.queryItems)
        var forwarded = try consumerFields.keepingOnlySignature("sig1")
        forwarded.append(HTTPField(name: HTTPField.Name("Exchange-Id")!, value: UUID().uuidString))
        forwarded.append(HTTPField(name: HTTPField.Name("Exchange-Consumer")!, value: "mol"))
        forwarded.append(HTTPField(name: HTTPField.Name("Exchange-Consumer-Target")!, value: "https://rabt.example:8443" + path))
        let signer = MessageSigner(key: try SigningKey.generate(.ed25519), keyID: "rabt")
        let attemptURL = "https://127.0.0.1:9443/crc/v1" + forwardTarget

        var steps: [Step] = []
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            try body()  // warm
            let start = ContinuousClock.now
            for _ in 0..<rounds { try body() }
            steps.append(Step(name: name, microseconds: microseconds(start.duration(to: .now)) / Double(rounds)))
        }
        try time("strict target read") { _ = try RequestTarget(path) }
        time("route + forwarded target") {
            if case .operation(let found) = contract.route(method: "GET", target: operationTarget) {
                _ = found.forwardTarget(query: operationTarget.queryItems)
            }
        }
        try time("field allow-list, consumer signature re-serialised") {
            var kept = HTTPFields()
            for field in consumerFields where field.name != .signature && field.name != .signatureInput {
                kept.append(field)
            }
            kept.append(contentsOf: try consumerFields.keepingOnlySignature("sig1"))
        }
        time("idempotency fingerprint") {
            _ = SHA256.hash(data: Data(("mol\nGET\n" + forwardTarget + "\n" + ContentDigest.fieldValue(for: [UInt8]())).utf8))
        }
        // The countersignature: before, a fixed list without the target; now @method @target-uri
        // and every forwarded field, per attempt.
        let before: [ComponentIdentifier] = [
            .field("exchange-id"), .field("exchange-consumer"), .field("signature", key: "sig1"),
        ]
        var now: [ComponentIdentifier] = [.method, .targetURI]
        for field in forwarded where field.name != .signature && field.name != .signatureInput {
            now.append(.field(field.name.canonicalName))
        }
        now += [.field("signature", key: "sig1"), .field("signature-input", key: "sig1")]
        let countersignBefore = try signTime(signer, forwarded, attemptURL, before, rounds)
        let countersignNow = try signTime(signer, forwarded, attemptURL, now, rounds)
        steps.append(Step(name: "countersignature: longer base (\(before.count) → \(now.count) components)", microseconds: countersignNow - countersignBefore))
        // The receipt: @query;req and the consumer's signature;req and signature-input;req added.
        let request = prepared.signed
        let receiptBefore = try receiptTime(signer, request, consumerLabel: nil, rounds)
        let receiptNow = try receiptTime(signer, request, consumerLabel: "sig1", rounds)
        steps.append(Step(name: "receipt: bound to the consumer's signature", microseconds: receiptNow - receiptBefore))
        return steps
    }

    private static func signTime(
        _ signer: MessageSigner, _ fields: HTTPFields, _ url: String, _ components: [ComponentIdentifier], _ rounds: Int
    ) throws -> Double {
        let message = SignableMessage.request(try RequestComponents(method: "GET", targetURI: url, fields: fields))
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            var copy = message
            try signer.sign(&copy, label: "rabt", components: components, created: Date(), nonce: SignatureParameters.randomNonce())
        }
        return microseconds(start.duration(to: .now)) / Double(rounds)
    }

    private static func receiptTime(_ signer: MessageSigner, _ request: RequestComponents, consumerLabel: String?, _ rounds: Int) throws -> Double {
        let body = Array(#"{"certificateNumber":"CRC-2026-0004217","status":"clear"}"#.utf8)
        let response = ResponseComponents(status: 200, fields: [.contentType: "application/json", HTTPField.Name("Exchange-Id")!: "x"])
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            var copy = response
            try signer.signReceipt(&copy, request: request, consumerLabel: consumerLabel, body: body, created: Date())
        }
        return microseconds(start.duration(to: .now)) / Double(rounds)
    }

    static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }

    /// User plus system CPU time of this process so far.
    static func processCPU() -> Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return .seconds(Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec))
            + .microseconds(Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec))
    }
}
