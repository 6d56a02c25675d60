import Delivery
import Foundation
import HTTPTypes
import Signing

/// An agency system calling the exchange: mTLS with the agency's certificate, every request
/// signed (RFC 9421) with the agency's registered key. Used by the demo and the tests, and a
/// worked example of what an integrator's client does.
public struct ExchangeClient: Sendable {
    /// Who the client is.
    public struct Identity: Sendable {
        /// The agency id (the CN of its certificate).
        public var agency: String
        /// The exchange CA, to verify Rabt's certificate.
        public var caFile: String
        /// The agency's TLS client certificate and key.
        public var certificateFile: String
        public var keyFile: String
        /// The agency's signature key and the `keyid` it is registered under.
        public var signingKey: SigningKey
        public var keyID: String

        public init(agency: String, caFile: String, certificateFile: String, keyFile: String, signingKey: SigningKey, keyID: String) {
            self.agency = agency
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.signingKey = signingKey
            self.keyID = keyID
        }

        /// The identity of `agency` in a development PKI, signing with its generated key.
        public static func development(_ pki: DevelopmentPKI, agency: String) throws -> Identity {
            Identity(
                agency: agency, caFile: pki.caCertificate.path, certificateFile: pki.agencyCertificate(agency).path,
                keyFile: pki.agencyKey(agency).path, signingKey: try PEMFiles.signingKey(at: pki.agencySigningKey(agency)),
                keyID: "\(agency)-signing"
            )
        }
    }

    /// What came back.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPFields
        public var body: [UInt8]
        /// The request as signed, to check the receipt against.
        public var request: RequestComponents

        /// The first value of a header.
        public func header(_ name: String) -> String? { headers.values(named: name).first }
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }

        /// Verifies Rabt's receipt (label `rabt`) with Rabt's public key: it must cover the status,
        /// the body digest and the exchange id, and be bound to this request (`;req`): its method,
        /// path, query and the consumer's own signature `consumerLabel`.
        public func verifyReceipt(
            rabtKey: VerificationKey, keyID: String = "rabt", consumerLabel: String = "sig1", now: Date = Date()
        ) async throws -> VerifiedSignature {
            let policy = VerificationPolicy(
                requiresNonce: false, requiresTargetCoverage: false, requiresContentDigestForBody: true,
                fieldsCoveredWhenPresent: [],
                requiredComponents: [
                    .status, .field("exchange-id"), .field("content-digest"), ComponentIdentifier.method.fromRequest,
                    ComponentIdentifier.path.fromRequest, ComponentIdentifier.query.fromRequest,
                    .field("signature", key: consumerLabel, req: true), .field("signature-input", key: consumerLabel, req: true),
                ]
            )
            let response = SignableMessage.response(ResponseComponents(status: status, fields: headers), request: request)
            return try await SignatureVerifier(policy: policy).verify(response, body: Data(body), label: "rabt", now: now) { id in
                id == keyID ? RegisteredKey(keyID: id, key: rabtKey) : nil
            }
        }
    }

    /// Changes made to a request after it was signed, to show what Rabt refuses.
    public enum Tampering: Sendable {
        /// Send this body instead of the signed one.
        case replaceBody([UInt8])
    }

    public let brokerURL: String
    public let identity: Identity
    let transport: any Transport

    public init(brokerURL: String, identity: Identity, transport: any Transport) {
        self.brokerURL = brokerURL.hasSuffix("/") ? String(brokerURL.dropLast()) : brokerURL
        self.identity = identity
        self.transport = transport
    }

    /// How a request is signed; the defaults are what Rabt requires.
    public struct Signing: Sendable {
        /// Components to cover; nil covers `@method @target-uri`, `content-digest` with a body,
        /// and `idempotency-key` when sent.
        public var components: [ComponentIdentifier]?
        /// `created`; nil is now.
        public var created: Date?
        /// Whether to send a fresh nonce.
        public var nonce: Bool
        /// The signature's label.
        public var label: String

        public init(components: [ComponentIdentifier]? = nil, created: Date? = nil, nonce: Bool = true, label: String = "sig1") {
            self.components = components
            self.created = created
            self.nonce = nonce
            self.label = label
        }
    }

    /// Signs `method path` (path from `/exchange/…`, query included) with a JSON body, ready to send.
    public func prepare(
        _ method: String, _ path: String, json body: [UInt8] = [], headers extra: HTTPFields = [:],
        signing: Signing = Signing(), tampering: Tampering? = nil, timeout: Duration = .seconds(30)
    ) throws -> (request: OutboundRequest, signed: RequestComponents) {
        var fields = extra
        if !body.isEmpty {
            fields.append(HTTPField(name: .contentType, value: "application/json"))
            fields.append(HTTPField(name: .contentDigest, value: ContentDigest.fieldValue(for: body)))
        }
        var components: [ComponentIdentifier] = [.method, .targetURI]
        if !body.isEmpty { components.append(.field("content-digest")) }
        if fields.contains(.idempotencyKey) { components.append(.field("idempotency-key")) }
        var message = SignableMessage.request(try RequestComponents(method: method, targetURI: brokerURL + path, fields: fields))
        try MessageSigner(key: identity.signingKey, keyID: identity.keyID).sign(
            &message, label: signing.label, components: signing.components ?? components, created: signing.created ?? Date(),
            nonce: signing.nonce ? SignatureParameters.randomNonce() : nil
        )
        guard case .request(let signed) = message else { preconditionFailure("a request was signed") }
        var sentBody = body
        if case .replaceBody(let other) = tampering { sentBody = other }
        let request = OutboundRequest(
            method: method, url: brokerURL + path,
            headers: signed.fields,
            body: sentBody, timeout: timeout,
            tls: TLSSettings(caFile: identity.caFile, clientCertificateFile: identity.certificateFile, clientKeyFile: identity.keyFile)
        )
        return (request, signed)
    }

    /// Signs and sends `method path` (path from `/exchange/…`, query included) with a JSON body.
    public func send(
        _ method: String, _ path: String, json body: [UInt8] = [], headers extra: HTTPFields = [:],
        signing: Signing = Signing(), tampering: Tampering? = nil, timeout: Duration = .seconds(30)
    ) async throws -> Answer {
        let prepared = try prepare(method, path, json: body, headers: extra, signing: signing, tampering: tampering, timeout: timeout)
        return try await send(prepared)
    }

    /// Sends a prepared request as it is (sending it twice is a replay).
    public func send(_ prepared: (request: OutboundRequest, signed: RequestComponents)) async throws -> Answer {
        let response = try await transport.send(prepared.request)
        return Answer(status: response.status, headers: response.headers, body: response.body, request: prepared.signed)
    }
}
