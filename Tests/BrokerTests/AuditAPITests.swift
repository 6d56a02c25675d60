import Audit
import Broker
import Demo
import Foundation
import Signing
import Testing

/// The audit API over mTLS, as `rabt audit` calls it.
@Suite(.serialized)
struct AuditAPITests {
    /// Rabt's audit key as an auditor pins it.
    static func pinnedKey(_ exchange: LocalExchange, origin: String = LocalExchange.auditOrigin) throws -> AuditVerifyingKey {
        try AuditVerifyingKey(name: origin, pem: String(contentsOf: exchange.pki.rabtAuditPublicKey, encoding: .utf8))
    }

    /// One successful exchange; its id.
    static func exchangeOnce(_ exchange: LocalExchange, nationalId: String = "9861034521") async throws -> String {
        let answer = try await exchange.client("mol").send("POST", ExchangeTests.certificatePath,
                                                           json: ExchangeTests.certificateRequest(nationalId: nationalId))
        #expect(answer.status == 201)
        return try #require(answer.header("exchange-id"))
    }

    @Test func searchFindsOneExchangeBetweenTwoAgencies() async throws {
        let exchange = try await TestExchange.shared.get()
        let exchangeId = try await Self.exchangeOnce(exchange)
        var search = AuditSearch()
        search.consumer = "mol"
        search.provider = "moj"
        search.exchangeId = exchangeId
        let page = try await exchange.auditor.search(search)
        #expect(page.entries.map(\.event.kind) == [.responseDelivered, .requestAccepted])
        #expect(page.entries.allSatisfy { $0.event.service == "criminal-record-certificate" })
        #expect(page.nextCursor == nil)

        var byTime = AuditSearch()
        byTime.since = Timestamp.format(page.entries[1].time)
        byTime.kind = "request.accepted"
        byTime.consumer = "mol"
        #expect(try await exchange.auditor.search(byTime).entries.contains { $0.event.exchangeId == exchangeId })
    }

    @Test func pagesNeitherRepeatNorSkip() async throws {
        let exchange = try await TestExchange.shared.get()
        for _ in 0..<3 { _ = try await Self.exchangeOnce(exchange) }
        var search = AuditSearch()
        search.limit = 2
        search.consumer = "mol"
        var seen: [Int] = []
        for _ in 0..<1000 {
            let page = try await exchange.auditor.search(search)
            seen += page.entries.map(\.sequence)
            guard let next = page.nextCursor else { break }
            search.cursor = next
        }
        var all = AuditSearch()
        all.consumer = "mol"
        all.limit = 1000
        // Other suites add entries meanwhile; those come after the first page and are left out here.
        let newestSeen = seen.first ?? -1
        #expect(seen == (try await exchange.auditor.search(all)).entries.map(\.sequence).filter { $0 <= newestSeen })
        #expect(seen == seen.sorted(by: >))
        #expect(Set(seen).count == seen.count)
    }

    @Test func entryComesWithAnInclusionProofToASignedHead() async throws {
        let exchange = try await TestExchange.shared.get()
        let exchangeId = try await Self.exchangeOnce(exchange)
        var search = AuditSearch()
        search.exchangeId = exchangeId
        let sequence = try #require(try await exchange.auditor.search(search).entries.last?.sequence)
        let proven = try await exchange.auditor.entry(sequence)
        let head = try proven.verify(keys: [Self.pinnedKey(exchange)])
        #expect(head.head.size > sequence)
        #expect(proven.entry.event.exchangeId == exchangeId)

        // A proof checked against another key, or for a changed entry, fails.
        let stranger = try AuditSigningKey.generate(name: LocalExchange.auditOrigin).verifyingKey
        #expect(throws: AuditError.self) { _ = try proven.verify(keys: [stranger]) }
        var altered = proven
        altered.entry.event.status = 500
        #expect(throws: AuditError.self) { _ = try altered.verify(keys: [Self.pinnedKey(exchange)]) }
    }

    @Test func headsGrowConsistently() async throws {
        let exchange = try await TestExchange.shared.get()
        let first = try await exchange.auditor.checkpoint(signNow: true)
        try first.verify(with: Self.pinnedKey(exchange))
        _ = try await Self.exchangeOnce(exchange)
        let second = try await exchange.auditor.checkpoint(signNow: true)
        #expect(second.head.size > first.head.size)
        #expect(second.head.timestamp >= first.head.timestamp)
        // Other suites may sign newer heads meanwhile; the latest is never older than this one.
        #expect(try await exchange.auditor.checkpoint().head.size >= second.head.size)

        let view = try await exchange.auditor.consistency(from: first.head.size, to: second.head.size)
        let proof = ConsistencyProof(firstSize: view.firstSize, secondSize: view.secondSize, path: view.path.compactMap(MerkleHash.init(base64:)))
        #expect(proof.verify(firstRoot: first.head.rootHash, secondRoot: second.head.rootHash))
        #expect(!proof.verify(firstRoot: second.head.rootHash, secondRoot: first.head.rootHash))

        let heads = try await exchange.auditor.treeHeads(from: first.head.size, to: second.head.size)
        #expect(heads.treeHeads.contains(first.note) && heads.treeHeads.contains(second.note))
        #expect(try AuditVerifyingKey(verifierKey: heads.verifierKey) == Self.pinnedKey(exchange))
    }

    @Test func exportOfTheWholeLogAndOfARangeVerify() async throws {
        let exchange = try await TestExchange.shared.get()
        _ = try await Self.exchangeOnce(exchange)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rabt-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let whole = folder.appendingPathComponent("all.jsonl").path
        try await exchange.auditor.export(file: whole)
        let handle = try #require(FileHandle(forReadingAtPath: whole))
        let result = try AuditVerifier.verifyExport(fileHandle: handle, keys: [Self.pinnedKey(exchange)])
        try handle.close()
        // The export ends at a signed head that covers it all; others may have signed newer ones since.
        let lastHead = try #require(result.lastHead)
        #expect(result.size == lastHead.head.size)
        #expect(result.rootHash == lastHead.head.rootHash)
        #expect(try await exchange.auditor.checkpoint().head.size >= result.size)

        let part = folder.appendingPathComponent("part.jsonl").path
        try await exchange.auditor.export(from: 3, to: 5, file: part)
        let partHandle = try #require(FileHandle(forReadingAtPath: part))
        let partResult = try AuditVerifier.verifyExport(fileHandle: partHandle, keys: [Self.pinnedKey(exchange)])
        try partHandle.close()
        #expect(partResult.entriesChecked >= 2)
        #expect(partResult.headsChecked >= 1)
    }

    @Test func operatorsAndAgenciesAreRefusedAndTheRefusalsAudited() async throws {
        let exchange = try await TestExchange.shared.get()
        for (certificate, key, actor) in [
            (exchange.pki.operatorCertificate("operator"), exchange.pki.operatorKey("operator"), "operator:operator"),
            (exchange.pki.agencyCertificate("mol"), exchange.pki.agencyKey("mol"), "agency:mol"),
        ] {
            let client = AuditClient(
                connection: BrokerConnection(brokerURL: exchange.brokerURL, caFile: exchange.pki.caCertificate.path,
                                             certificateFile: certificate.path, keyFile: key.path),
                transport: exchange.transport
            )
            await #expect {
                _ = try await client.search(AuditSearch())
            } throws: { error in
                (error as? BrokerClientError)?.status == 403 && (error as? BrokerClientError)?.problemType == "forbidden"
            }
            // Other suites write to the same log meanwhile: look for this refusal, not the last entry.
            let refusals = try await exchange.auditEntries().filter {
                $0.event.kind == .requestRejected && $0.event.actor == actor && $0.event.target == "GET /audit/entries"
            }
            #expect(refusals.last?.event.problemType == "forbidden")
        }
    }

    @Test func badQueriesAreProblems() async throws {
        let exchange = try await TestExchange.shared.get()
        var search = AuditSearch()
        search.since = "yesterday"
        await #expect {
            _ = try await exchange.auditor.search(search)
        } throws: { error in
            (error as? BrokerClientError)?.problemType == "bad-request" && (error as? BrokerClientError)?.message.contains("since") == true
        }
        search = AuditSearch()
        search.cursor = "not-a-cursor"
        await #expect {
            _ = try await exchange.auditor.search(search)
        } throws: { error in (error as? BrokerClientError)?.status == 400 }
        await #expect {
            _ = try await exchange.auditor.entry(10_000_000)
        } throws: { error in (error as? BrokerClientError)?.status == 404 }
    }
}

/// A contract's `audit.body` policy: full bodies sealed for auditors, or nothing at all.
@Suite(.serialized)
struct AuditBodyPolicyTests {
    /// Publishes the traffic-violations contract under another service name with `body`.
    static func publishVariant(_ exchange: LocalExchange, service: String, body: String) async throws {
        let text = try AdminTests.contractText("rop/traffic-violations.v1.yaml")
            .replacingOccurrences(of: "service: traffic-violations\n", with: "service: \(service)\n")
            .replacingOccurrences(of: "audit: {body: digest}", with: "audit: {body: \(body)}")
        if try await exchange.admin.contracts().contains(where: { $0.service == service }) { return }
        _ = try await exchange.admin.publishContract(text, fileName: "\(service).yaml")
    }

    @Test func fullBodiesAreSealedAndReadableOnlyThroughTheAuditAPI() async throws {
        let exchange = try await TestExchange.shared.get()
        try await Self.publishVariant(exchange, service: "traffic-violations-kept", body: "full")
        let answer = try await exchange.client("mol").send("GET", "/exchange/rop/traffic-violations-kept/violations/9861034521")
        #expect(answer.status == 200)
        let exchangeId = try #require(answer.header("exchange-id"))

        let kept = try await exchange.auditor.bodies(exchangeId: exchangeId)
        let response = try #require(kept.bodies.first { $0.part == "response" })
        #expect(response.text == String(decoding: answer.body, as: UTF8.self))
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == exchangeId }
        #expect(entries.contains { $0.event.responseDigest == response.digest })
        #expect(kept.bodies.contains { $0.part == "request" })
        // Other suites write to the same log meanwhile: find the read by its exchange.
        let reads = try await exchange.auditEntries().filter { $0.event.kind.rawValue == "audit.body.read" && $0.event.exchangeId == exchangeId }
        #expect(reads.count == 1)
        #expect(reads.first?.event.actor == "auditor:auditor")

        // At rest the body is ciphertext.
        let database = try String(decoding: Data(contentsOf: URL(fileURLWithPath: exchange.databasePath)), as: UTF8.self)
        #expect(!database.contains(String(decoding: answer.body.prefix(40), as: UTF8.self)))
    }

    @Test func bodyNoneKeepsNeitherBodiesNorDigests() async throws {
        let exchange = try await TestExchange.shared.get()
        try await Self.publishVariant(exchange, service: "traffic-violations-unlogged", body: "none")
        let answer = try await exchange.client("mol").send("GET", "/exchange/rop/traffic-violations-unlogged/violations/9861034521")
        #expect(answer.status == 200)
        let exchangeId = try #require(answer.header("exchange-id"))
        let entries = try await exchange.auditEntries().filter { $0.event.exchangeId == exchangeId }
        #expect(entries.map(\.event.kind) == [.requestAccepted, .responseDelivered])
        #expect(entries.allSatisfy { $0.event.requestDigest == nil && $0.event.responseDigest == nil })
        await #expect {
            _ = try await exchange.auditor.bodies(exchangeId: exchangeId)
        } throws: { error in (error as? BrokerClientError)?.status == 404 }
    }
}
