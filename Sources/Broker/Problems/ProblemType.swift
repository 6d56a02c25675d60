import Hummingbird

/// A stable cause of an answer Rabt itself produces, rendered as an RFC 9457 `type`.
public struct ProblemType: Hashable, Sendable, CustomStringConvertible {
    /// The stable wire name, e.g. `signature-invalid`.
    public let name: String
    /// The HTTP status answered for this cause.
    public let status: HTTPResponse.Status
    /// The short, human-readable summary (RFC 9457 `title`).
    public let title: String

    init(_ name: String, _ status: HTTPResponse.Status, _ title: String) {
        self.name = name
        self.status = status
        self.title = title
    }

    /// The `type` URI: a URN, so it is stable and never mistaken for a page to fetch.
    public var uri: String { "urn:rabt:problem:\(name)" }

    public var description: String { name }
}

extension ProblemType {
    // Identity
    static let certificateRequired = ProblemType("certificate-required", .unauthorized, "A client certificate is required")
    static let certificateInvalid = ProblemType("certificate-invalid", .forbidden, "The client certificate is not acceptable")
    static let unknownAgency = ProblemType("unknown-agency", .forbidden, "The client certificate does not belong to a registered agency")
    static let agencySuspended = ProblemType("agency-suspended", .forbidden, "The calling agency is suspended")
    static let forbidden = ProblemType("forbidden", .forbidden, "This principal may not use this API")
    // Signatures
    static let signatureMissing = ProblemType("signature-missing", .unauthorized, "The request is not signed")
    static let signatureInvalid = ProblemType("signature-invalid", .unauthorized, "The request signature is invalid")
    static let signatureIncomplete = ProblemType("signature-incomplete", .unauthorized, "The request signature covers too little")
    static let signatureExpired = ProblemType("signature-expired", .unauthorized, "The request signature is outside its validity window")
    static let unknownKey = ProblemType("unknown-key", .unauthorized, "The signing key is not registered to the calling agency")
    static let digestMissing = ProblemType("digest-missing", .badRequest, "The request body has no Content-Digest")
    static let digestMismatch = ProblemType("digest-mismatch", .badRequest, "The Content-Digest does not match the body")
    static let replay = ProblemType("replay", .unauthorized, "The signature nonce was already used")
    // Contracts
    static let targetInvalid = ProblemType("target-invalid", .badRequest, "The request target is not in canonical form")
    static let headerInvalid = ProblemType("header-invalid", .badRequest, "A header field may not be sent this way")

    static let contractNotFound = ProblemType("contract-not-found", .notFound, "No published contract for this provider service")
    static let contractSunset = ProblemType("contract-sunset", .gone, "This contract version has been retired")
    static let operationNotFound = ProblemType("operation-not-found", .notFound, "The contract has no such operation")
    static let methodNotAllowed = ProblemType("method-not-allowed", .methodNotAllowed, "The contract does not allow this method on this path")
    static let consumerNotAllowed = ProblemType("consumer-not-allowed", .forbidden, "The calling agency holds no grant for this service")
    static let idempotencyInFlight = ProblemType("idempotency-in-flight", .conflict, "A request with this Idempotency-Key is still in progress")
    static let idempotencyKeyReused = ProblemType("idempotency-key-reused", .unprocessableContent, "This Idempotency-Key was used for a different request")
    static let idempotencyOutcomeNotKept = ProblemType("idempotency-outcome-not-kept", .conflict, "The first answer to this Idempotency-Key is not kept")
    static let messageNotFound = ProblemType("message-not-found", .notFound, "No such asynchronous message of the calling agency")
    static let requestInvalid = ProblemType("request-invalid", .unprocessableContent, "The request breaks the contract")
    static let payloadTooLarge = ProblemType("payload-too-large", .contentTooLarge, "The request body is too large")
    static let headersTooLarge = ProblemType("headers-too-large", .requestHeaderFieldsTooLarge, "The request's header fields are too large or too many")
    static let requestTimeout = ProblemType("request-timeout", .requestTimeout, "The request did not arrive in time")
    static let malformedRequest = ProblemType("malformed-request", .badRequest, "The request is not valid HTTP/1.1")
    static let tooManyRequests = ProblemType("too-many-requests", .tooManyRequests, "The calling agency has too many exchanges in progress")
    // Delivery
    static let endpointNotConfigured = ProblemType("endpoint-not-configured", .badGateway, "The provider has no registered endpoint")
    static let providerUnavailable = ProblemType("provider-unavailable", .badGateway, "The provider could not be reached")
    static let providerTimeout = ProblemType("provider-timeout", .gatewayTimeout, "The provider did not answer in time")
    static let responseInvalid = ProblemType("response-invalid", .badGateway, "The provider's response breaks the contract")
    // Node
    static let auditUnavailable = ProblemType("audit-unavailable", .serviceUnavailable, "The audit log cannot record; the exchange was refused")
    static let storeUnavailable = ProblemType("store-unavailable", .serviceUnavailable, "The registry database is unavailable")
    static let maintenance = ProblemType("maintenance", .serviceUnavailable, "The node is in maintenance")
    static let internalError = ProblemType("internal-error", .internalServerError, "Rabt failed to handle the request")
    // Admin
    static let badRequest = ProblemType("bad-request", .badRequest, "The request is malformed")
    static let invalidContract = ProblemType("contract-invalid", .unprocessableContent, "The contract is invalid")
    static let notFound = ProblemType("not-found", .notFound, "No such resource")
    static let conflict = ProblemType("conflict", .conflict, "The change conflicts with what is registered")
    static let endpointNotPermitted = ProblemType("endpoint-not-permitted", .unprocessableContent, "The endpoint leads where Rabt does not deliver")
}
