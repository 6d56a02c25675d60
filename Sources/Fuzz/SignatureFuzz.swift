import Foundation
import HTTPTypes
import Signing

/// A request's header block (`Name: value` lines, then an empty line, then the body) on RFC 9421's
/// test request (Appendix B.2: `POST https://example.com/foo?param=Value&Pet=dog`). Its
/// `Signature-Input`, `Signature` and `Content-Digest` go through what the broker does with a
/// consumer's fields: digest check, verification under Rabt's exchange policy and under the
/// RFC's lenient one (with the RFC's Ed25519 key, so a mutated but valid signature reaches the
/// cryptography), and reduction to one signature for the provider.
enum SignatureFuzz {
    /// RFC 9421 B.1.4 `test-key-ed25519`, public part.
    private static let publicKey = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
        -----END PUBLIC KEY-----
        """
    /// The RFC's examples' `created`.
    private static let now = Date(timeIntervalSince1970: 1_618_884_473)
    nonisolated(unsafe) private static var key: RegisteredKey!

    private static let lenient = VerificationPolicy(
        requiresAlgorithm: false, requiresNonce: false, requiresTargetCoverage: false,
        requiresContentDigestForBody: false, fieldsCoveredWhenPresent: [])

    static func prepare() {
        key = RegisteredKey(keyID: "test-key-ed25519", key: try! VerificationKey(pemRepresentation: publicKey))
    }

    static func run(_ input: [UInt8]) {
        let (fields, body) = headerBlock(input)
        _ = try? ContentDigest.verify(fields[.contentDigest], body: body)
        let request = RequestComponents(
            method: "POST", scheme: "https", authority: "example.com", path: "/foo", query: "param=Value&Pet=dog", fields: fields)
        let key = self.key!
        for policy in [VerificationPolicy.exchangeRequest, lenient] {
            let verified = blocking {
                try? await SignatureVerifier(policy: policy).verify(
                    .request(request), body: body, now: now, keyLookup: { $0 == key.keyID ? key : nil })
            }
            if let verified {
                // What is forwarded of a verified signature is that signature alone, and it still parses.
                let kept = try? fields.keepingOnlySignature(verified.label)
                FuzzTarget.invariant(kept != nil, "a verified signature cannot be kept alone")
            }
        }
    }

    /// Fields from `Name: value` lines up to the first empty line (lines that are not fields are
    /// skipped, as the HTTP layer would refuse them), and the bytes after it as the body.
    static func headerBlock(_ input: [UInt8]) -> (HTTPFields, Data) {
        var fields = HTTPFields()
        var start = input.startIndex
        while start < input.endIndex {
            let end = input[start...].firstIndex(of: UInt8(ascii: "\n")) ?? input.endIndex
            let line = input[start..<end]
            start = end < input.endIndex ? end + 1 : end
            if line.isEmpty { return (fields, Data(input[start...])) }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
                let name = HTTPField.Name(String(decoding: line[..<colon], as: UTF8.self))
            else { continue }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            fields.append(HTTPField(name: name, value: value))
        }
        return (fields, Data())
    }
}

/// Runs async work to its end from libFuzzer's (non-pool) thread.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        outcome.value = await work()
        done.signal()
    }
    done.wait()
    return outcome.value!
}

/// Where `blocking`'s task leaves its result; the semaphore orders the write before the read.
private final class Outcome<T>: @unchecked Sendable {
    var value: T?
}
