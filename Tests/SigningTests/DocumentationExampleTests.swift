import Foundation
import FieldLines
import HTTPTypes
import Signing
import Testing

/// The worked example in docs/signing.md, checked so the page cannot drift from the code.
/// It is signed with the RFC 9421 B.1.4 Ed25519 test key, so the signatures are reproducible.
@Suite("docs/signing.md worked example")
struct DocumentationExampleTests {
    static let body = Data(#"{"nationalId":"9871234567"}"#.utf8)
    static let requestSignature =
        "CprkDEURbbelczFHGEJ96mVTDIcshT1DPx4k4Aak/IVF69LTK/cUbWSYNjB79QFuw+X+5/etpGbObQtTiSu0DA=="
    static let receiptSignature =
        "Qz1AFiCl4eWyL7omNvKf2sstmsE2/ewhz1YElrBmORDwQbNRHvGgBMDyzvOTcTXAPXzTZN+1CvWxuMfWCO+bCw=="

    static func request() throws -> RequestComponents {
        try RequestComponents(
            method: "POST",
            targetURI: "https://rabt.example:8443/exchange/moj/criminal-record-certificate/v1/certificates",
            fields: HTTPFields([
                ("Content-Type", "application/json"),
                ("Content-Digest", "sha-256=:UPjALKSljwCbgrZWVznESBlOF+RdbUmRQQZxF9Mlraw=:"),
                ("Idempotency-Key", "\"4f1c2b\""),
                ("Signature-Input", #"sig1=("@method" "@target-uri" "content-digest" "idempotency-key");created=1800000000;keyid="mol-2026-01";alg="ed25519";nonce="kY3pq0Jc8Q2Xv1rT""#),
                ("Signature", "sig1=:\(Self.requestSignature):"),
            ]))
    }

    @Test("the consumer's request verifies under Rabt's exchange policy")
    func request() async throws {
        let verified = try await SignatureVerifier().verify(
            .request(try Self.request()), body: Self.body, now: Date(timeIntervalSince1970: 1_800_000_000),
            keyLookup: RFC9421Fixtures.lookup("mol-2026-01", pem: RFC9421Fixtures.ed25519PublicKey))
        #expect(verified.nonce == "kY3pq0Jc8Q2Xv1rT")
    }

    @Test("Rabt's receipt is reproduced exactly")
    func receipt() throws {
        let signer = MessageSigner(
            key: try SigningKey(pemRepresentation: RFC9421Fixtures.ed25519PrivateKey), keyID: "rabt-2026-01")
        var response = ResponseComponents(
            status: 200, fields: HTTPFields([("Content-Type", "application/json"), ("Exchange-Id", "01JDX5T2Q8B6W3M9")]))
        let base = try signer.signReceipt(
            &response, request: try Self.request(), consumerLabel: "sig1", body: Data(#"{"status":"no-record"}"#.utf8),
            created: Date(timeIntervalSince1970: 1_800_000_001), nonce: "b7Hq2Lr9Zt4Wm1Xc")
        #expect(response.fields.values(named: "Content-Digest") == ["sha-256=:E2IU5jtWck7XUoLgOMUnvNIJXJbdv81mWbYvETOsqRU=:"])
        #expect(response.fields.values(named: "Signature") == ["rabt=:\(Self.receiptSignature):"])
        #expect(base == Self.receiptBase)
    }

    /// The receipt's signature base exactly as docs/signing.md prints it.
    static let receiptBase = #"""
        "@status": 200
        "content-digest": sha-256=:E2IU5jtWck7XUoLgOMUnvNIJXJbdv81mWbYvETOsqRU=:
        "exchange-id": 01JDX5T2Q8B6W3M9
        "@method";req: POST
        "@path";req: /exchange/moj/criminal-record-certificate/v1/certificates
        "@query";req: ?
        "content-digest";req: sha-256=:UPjALKSljwCbgrZWVznESBlOF+RdbUmRQQZxF9Mlraw=:
        "signature";key="sig1";req: :CprkDEURbbelczFHGEJ96mVTDIcshT1DPx4k4Aak/IVF69LTK/cUbWSYNjB79QFuw+X+5/etpGbObQtTiSu0DA==:
        "signature-input";key="sig1";req: ("@method" "@target-uri" "content-digest" "idempotency-key");created=1800000000;keyid="mol-2026-01";alg="ed25519";nonce="kY3pq0Jc8Q2Xv1rT"
        "@signature-params": ("@status" "content-digest" "exchange-id" "@method";req "@path";req "@query";req "content-digest";req "signature";key="sig1";req "signature-input";key="sig1";req);created=1800000001;keyid="rabt-2026-01";alg="ed25519";nonce="b7Hq2Lr9Zt4Wm1Xc"
        """#
}
